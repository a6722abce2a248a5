/**
 * Finnish (and Finland-Swedish) first and last names for the synthetic register. Common names
 * only: any match with a real person is chance, and the henkilötunnus of every synthetic person
 * is a temporary code (individual number 900-999) that no real person holds permanently.
 */

export const FIRST_NAMES: readonly string[] = `
Aada Aapo Aarne Aaro Aatu Aava Ada Aila Aili Aimo Aino Aki Aleksi Alexander Alina Alisa Anja Anna
Anne Anneli Anni Annika Antero Anton Antti Ari Arja Armas Arto Arttu Asta Atte Auli Aulis Aune Aurora
Eemeli Eero Eetu Eeva Eevi Eija Eila Eino Eira Elias Elina Elisa Ella Elli Elmeri Elsa Emilia Emma
Emmi Erkki Esa Esko Essi Ester Eveliina Hanna Hannele Hannu Harri Heidi Heikki Heini Heli Helena
Helmi Helvi Henna Henri Henrik Hertta Hilja Hilkka Hilma Iida Iiris Ilari Ilkka Ilmari Inkeri Into
Irja Irma Isla Ismo Jaakko Jani Janne Jari Jarmo Jarno Jenna Jenni Jere Jesse Johanna Joni Joona
Jorma Jouko Jouni Juha Juhani Jukka Julia Jussi Jutta Jyrki Jyri Kaarina Kaija Kaisa Kalervo Kalle
Kari Karoliina Kasper Katja Katri Kauko Keijo Kerttu Kimmo Kirsi Kirsti Kristiina Kyösti Lassi Laura
Lauri Leena Leevi Leila Lempi Liisa Lilja Linnea Lotta Maarit Maija Maiju Marika Marja Marjatta
Marjut Markku Marko Marketta Martti Matias Matti Merja Mervi Mika Mikael Mikko Milla Minna Mirja
Mirjami Nea Niilo Niina Niklas Noora Olavi Oliver Olli Onni Oona Oskari Otto Outi Paavo Päivi
Päivikki Pälvi Pasi Paula Pauli Pekka Pentti Petra Petri Petteri Pia Pirkko Raija Raili Raimo Rasmus
Reijo Reino Riikka Riitta Risto Ronja Ruut Saana Saara Säde Sakari Sami Sampo Sanna Santeri Sari
Satu Seija Senja Seppo Siiri Simo Sini Sinikka Sirkka Sisko Sofia Sointu Soile Suvi Taina Taisto
Taneli Tapani Tapio Tarja Tauno Teemu Teija Terhi Tero Tähti Tiina Timo Toini Tommi Toni Topias
Tuija Tuomas Tuomo Tuula Tuuli Tyyne Ulla Unto Urho Usva Valtteri Vappu Veera Veikko Veli Venla
Vesa Vieno Vilho Vilja Ville Vilma Virve Väinö Yrjänä Yrjö Åke Åsa Björn Göran Gösta Jörgen Börje
Ingrid Greta Mårten Sölve Rönnog Ebba Alma Selma Oiva Toivo Lyydia Hely Kielo Minea Pihla Lumi Rasmus
Eelis Eino Aaron Julius Leo Luukas Niko Patrik Roope Sebastian Tuukka Valto Viljami Iivari Nooa
`.trim().split(/\s+/).filter((name, i, all) => all.indexOf(name) === i);

export const LAST_NAMES: readonly string[] = `
Korhonen Virtanen Mäkinen Nieminen Mäkelä Hämäläinen Laine Heikkinen Koskinen Järvinen Lehtonen
Lehtinen Saarinen Salminen Heinonen Niemi Heikkilä Kinnunen Salonen Turunen Salo Laitinen Tuominen
Rantanen Karjalainen Jokinen Mattila Savolainen Lahtinen Ahonen Hiltunen Hirvonen Miettinen Manninen
Kärkkäinen Väisänen Pitkänen Räsänen Kettunen Leinonen Anttila Laaksonen Pelkonen Huttunen Kokkonen
Ruotsalainen Partanen Tiainen Hyvönen Kauppinen Kiiskinen Karhunen Rissanen Pesonen Hakkarainen
Tolvanen Jääskeläinen Kuosmanen Pääkkönen Ryynänen Kääriäinen Happonen Voutilainen Koponen Kuronen
Lyytikäinen Mönkkönen Ruuskanen Tikkanen Airaksinen Hyvärinen Jauhiainen Juutilainen Kastarinen
Kekäläinen Kolehmainen Kukkonen Lappalainen Löppönen Martikainen Mustonen Nissinen Nousiainen
Parkkinen Pietikäinen Puustinen Pölönen Rautiainen Reinikainen Rytkönen Sallinen Sihvonen Sirviö
Soininen Tahvanainen Tervo Toivanen Tuovinen Turpeinen Vartiainen Venäläinen Vänskä Ylönen Åberg
Åkerlund Åström Öhman Östman Ekholm Sjöberg Sjöblom Söderström Wikström Holmström Grönroos Grönlund
Björklund Nyström Lindqvist Lindström Forsström Lindholm Hägg Sundström Ahokas Aaltonen Eskelinen
Halonen Hartikainen Hassinen Heiskanen Holopainen Honkanen Huotari Hytönen Ikonen Immonen Jalkanen
Jäntti Kaikkonen Kainulainen Kallio Kananen Karppinen Kauhanen Keränen Kervinen Kivelä Kiviniemi
Kohonen Korpela Koskela Kosonen Kotilainen Kovanen Kumpulainen Kuusela Kärnä Laakkonen Laaksonen
Lampinen Lankinen Lassila Leskinen Liimatainen Linna Lipponen Luukkonen Malinen Markkanen Matikainen
Meriläinen Mikkonen Moilanen Mononen Myllymäki Mäkäräinen Määttä Nevalainen Niskanen Nykänen
Närhi Ojala Oksman Pakarinen Pasanen Penttinen Piironen Pirinen Pulkkinen Purhonen Pyykkönen
Pöyhönen Rahkonen Rantala Rask Rauhala Rautio Repo Riikonen Ronkainen Rouvinen Saastamoinen
Sairanen Saloranta Seppänen Sillanpää Sivonen Suhonen Suominen Susi Sutinen Taskinen Tenhunen
Tirkkonen Tuomainen Tuppurainen Turkki Uusitalo Vainio Valtonen Vauhkonen Vesterinen Vilhunen
Väänänen Wallenius Ylitalo Ålander Ängeslevä Öster Hänninen Härkönen Hölttä Jämsä Kähkönen Könönen
Lötjönen Mähönen Nääppä Pöllänen Rönkä Säisä Tölli Ukkonen Vähäkangas Yrjölä Ahola Backman Blomqvist
Eklund Fagerström Granström Hagman Holmberg Jansson Karlsson Lindberg Nordström Nyberg Strömberg
Wahlroos Westerholm Aho Hakala Hakkila Harju Heino Hiltula Hokkanen Huhtala Hurskainen Jaatinen
Juvonen Kantola Karvonen Kemppainen Kinnari Kiuru Koivisto Korpinen Laukkanen Lehikoinen Leppänen
Lindroos Luoma Mertanen Miettunen Muhonen Mykkänen Nuutinen Oinonen Orava Peltonen Pennanen
`.trim().split(/\s+/).filter((name, i, all) => all.indexOf(name) === i);
