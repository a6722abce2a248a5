/**
 * Finnish wording for the synthetic register: the kinds of entries an employment services client
 * record holds (seed section 10). Values only; nothing here is about a real person.
 */

export const AUTHOR_ROLES = ['Työllisyysasiantuntija', 'Työhönvalmentaja', 'Sosiaaliohjaaja', 'Palveluohjaaja', 'Työkykykoordinaattori'];

export const FIELDS_OF_WORK = [
  'kaupan', 'logistiikan', 'rakennus', 'siivous', 'ravintola', 'hoiva', 'metalli', 'it', 'toimisto', 'kiinteistöhuollon',
];

/** A case note; `{other}` is another person's full name, `{otherFirst}` their first name, `{field}` a field of work. */
export const CASE_NOTE_TEMPLATES = [
  'Asiakas on motivoitunut hakemaan {field}alan töitä. Laadittiin työnhakusuunnitelma ja sovittiin seuraavasta tapaamisesta.',
  'Puhelinkontakti. Asiakas on sairauslomalla kaksi viikkoa, joten tapaaminen siirretään.',
  'Tapaamiseen osallistui asiakkaan tukihenkilö {other}. Sovittiin työkokeilun hakemisesta {field}alalta.',
  'Asiakas kertoi, että puoliso {other} on aloittanut uudessa työpaikassa ja perheen taloudellinen tilanne on helpottunut.',
  'Asiakas mainitsi entisen esihenkilönsä {other}, joka voi antaa suosituksen. {otherFirst} on luvannut olla yhteydessä uuteen työnantajaan.',
  'Keskusteltiin palvelutarpeesta. Asiakkaan läheinen {other} auttaa lastenhoidossa, mikä mahdollistaa osallistumisen kuntouttavaan työtoimintaan.',
  'Monialaisessa palvelutarpeen arvioinnissa olivat mukana asiakas, sosiaaliohjaaja ja terveydenhoitaja {other}. Sovittiin kuntoutustarpeen selvittämisestä.',
  'Asiakas toivoo, ettei hänen tietojaan kerrota entiselle puolisolle, {other}. Toive kirjattu.',
  'Työkokeilupaikan ohjaaja {other} antoi palautetta: asiakas on ollut täsmällinen ja oppinut tehtävät nopeasti. {otherFirst} suosittelee jatkoa palkkatuella.',
  'Käytiin läpi ansioluettelo ja harjoiteltiin työhaastattelua. Asiakas hakee kahta avointa paikkaa {field}alalta.',
];

export const EMPLOYMENT_STATUSES = [
  'Työtön työnhakija', 'Lomautettu', 'Osa-aikatyössä', 'Palkkatuetussa työssä', 'Kuntouttavassa työtoiminnassa',
  'Opiskelija', 'Työvoiman ulkopuolella',
];
export const WORK_DETAILS = [
  'Osa-aikatyö 20 h/vko, vähittäiskauppa', 'Määräaikainen työsuhde päättynyt', 'Keikkatyötä henkilöstöpalveluyrityksen kautta',
  'Lomautettuna toistaiseksi', 'Palkkatukityö yhdistyksessä 6 kk',
];
export const OUTSIDE_LABOUR_MARKET = ['Hoitovapaalla', 'Sairauslomalla', 'Opiskelee päätoimisesti', 'Asevelvollisuus suoritettu', 'Kuntoutustuella'];

export const EDUCATION_LEVELS = ['Perusaste', 'Toinen aste', 'Alin korkea-aste', 'Alempi korkeakouluaste', 'Ylempi korkeakouluaste', 'Ei tutkintoa'];
export const QUALIFICATIONS = [
  'Ylioppilastutkinto', 'Merkonomi', 'Lähihoitaja', 'Logistiikan perustutkinto', 'Talonrakentaja', 'Kokki', 'Datanomi',
  'Tradenomi', 'Insinööri (AMK)', 'Kasvatustieteen maisteri', 'Sähköasentaja', 'Puhtaanapitoalan perustutkinto',
];
export const JOB_TITLES_HELD = [
  'Myyjä', 'Varastotyöntekijä', 'Siivooja', 'Kokki', 'Lähihoitaja', 'Rakennustyöntekijä', 'Asiakaspalvelija', 'Toimistosihteeri',
  'Kuljettaja', 'Tarjoilija', 'Koneistaja', 'IT-tukihenkilö',
];

export const PLAN_TYPES = ['Työllistymissuunnitelma', 'Aktivointisuunnitelma', 'Monialainen työllistymissuunnitelma', 'Kotoutumissuunnitelma'];
export const SERVICE_NEEDS = [
  'Työnhaun tuki', 'Ammatillisen osaamisen kehittäminen', 'Työkyvyn selvittäminen', 'Elämänhallinnan tuki', 'Suomen kielen opinnot',
  'Uravalinnan tuki',
];
export const PLAN_MEASURES = [
  'Työnhakuvalmennus 8 viikkoa ja työkokeilu', 'Kuntouttava työtoiminta 3 päivää viikossa', 'Palkkatuettu työ 6 kuukautta',
  'Ammatillinen koulutus ja oppisopimuksen selvittäminen', 'Uravalmennus ja ansioluettelon päivitys', 'Suomen kielen kurssi B1-tasolle',
];
export const FOLLOW_UPS = [
  'Seurantatapaaminen kolmen kuukauden kuluttua', 'Puhelinseuranta kuukausittain', 'Suunnitelma tarkistetaan työkokeilun päätyttyä',
  'Yhteydenotto palveluntuottajalta jakson puolivälissä',
];

export const PROCESS_STAGES: readonly [string, string][] = [
  ['Asiakkuus alkoi', 'Asiakas ohjattiin työllisyyspalveluihin.'],
  ['Alkuhaastattelu', 'Kartoitettiin tilanne, osaaminen ja tavoitteet.'],
  ['Palvelutarve arvioitu', 'Palvelutarpeen arvio kirjattu suunnitelmaan.'],
  ['Ohjattu palveluun', 'Asiakas ohjattiin sovittuun palveluun.'],
  ['Suunnitelma tarkistettu', 'Suunnitelma päivitetty seurantatapaamisessa.'],
  ['Asiakkuus päättyi', 'Asiakas työllistyi avoimille työmarkkinoille.'],
];

export const SERVICES_AND_BENEFITS = [
  'Palkkatuki', 'Kuntouttava työtoiminta', 'Työkokeilu', 'Työnhakuvalmennus', 'Uravalmennus', 'Kuntalisä', 'Työvoimakoulutus',
  'Matkakustannusten korvaus',
];

export const DECISION_TYPES: readonly [string, string][] = [
  ['Päätös kuntouttavasta työtoiminnasta', 'Kuntouttava työtoiminta 3 päivää viikossa kuuden kuukauden ajan.'],
  ['Päätös palkkatuesta', 'Palkkatuki työnantajalle työttömän työnhakijan palkkauskustannuksiin.'],
  ['Päätös kuntalisästä', 'Kuntalisä työnantajalle määräaikaisen työsuhteen ajalle.'],
  ['Päätös työkokeilusta', 'Työkokeilu soveltuvuuden selvittämiseksi.'],
  ['Päätös matkakustannusten korvaamisesta', 'Matkakustannukset korvataan palveluun osallistumisen ajalta.'],
];
export const DECISION_OUTCOMES = ['Myönteinen', 'Myönteinen', 'Myönteinen', 'Osittain myönteinen', 'Kielteinen'];
export const DECISION_MAKERS = ['Työllisyyspalvelupäällikkö', 'Työllisyysjohtaja', 'Palvelualuepäällikkö'];

export const EVENTS: readonly [string, string][] = [
  ['Tapahtuma', 'Rekrytointitapahtuma'],
  ['Tapahtuma', 'Kesätyömessut'],
  ['Infotilaisuus', 'Työnhaun infotilaisuus'],
  ['Infotilaisuus', 'Yrittäjyysinfo'],
  ['Koulutus', 'Digitaidot työnhaussa'],
  ['Koulutus', 'Hygieniapassikoulutus'],
  ['Valmennus', 'Työhönvalmennusryhmä'],
  ['Valmennus', 'Nuorten uravalmennus'],
];
export const DIETS = ['Laktoositon', 'Gluteeniton', 'Kasvisruokavalio', 'Vegaaninen', 'Pähkinäallergia', 'Kalaton', 'Ei sianlihaa'];

export const WORK_ABILITY_ASSESSMENTS = [
  'Työkyky alentunut, soveltuu osa-aikatyöhön', 'Työkyky riittävä koulutukseen', 'Työkyvyn selvittely kesken',
  'Ohjattu työkykyarvioon terveyspalveluihin',
];
export const HEALTH_INFORMATION = [
  'Tuki- ja liikuntaelinvaivoja, nostorajoitus 10 kg', 'Uniongelmia, hoitokontakti terveysasemalla', 'Kuulon heikkeneminen, meluisat työympäristöt eivät sovellu',
  'Pitkäaikainen selkäkipu, istumatyö suositeltava',
];

export const SURVEYS = ['Asiakastyytyväisyyskysely', 'Palautekysely valmennuksesta', 'Tapahtumapalaute'];
export const FEEDBACK = [
  'Sain hyvää tukea työnhakuun.', 'Tapaamisia olisi voinut olla useammin.', 'Valmennus oli hyödyllinen.',
  'Tiedotus tapahtumista voisi olla selkeämpää.', 'Kiitos kärsivällisyydestä!',
];

export const WORKSPACES = ['Työnhakijoiden yhteinen työtila', 'Nuorten työpaja', 'Kotoutujien työtila', 'Uravalmennuksen ryhmätila'];
export const COURSES = ['Digitaidot työelämässä', 'Suomen kieli työelämässä B1', 'Asiakaspalvelun perusteet', 'Työturvallisuuden perusteet'];

export const PROJECTS = ['Työllisyyden polut -hanke', 'Nuorten osaamispolku -hanke', 'Kotoutujien työllistymishanke', 'Yritysyhteistyöhanke'];
export const PROJECT_MEASURES = ['Työhönvalmennus', 'Palkkatukityö', 'Ryhmävalmennus', 'Ammatillinen koulutus', 'Yrityskäynnit'];

export const VISIBILITY_TARGETS = [
  'Työllisyyspalvelun edustajat', 'Palveluntuottajat', 'Työllisyyspalvelun edustajat ja palveluntuottajat',
];

export const ORGANISATION_TRADES = [
  'Rakennus', 'Kone', 'Siivouspalvelu', 'Kuljetus', 'Ravintola', 'Hoiva', 'Metalli', 'IT-palvelu', 'Kiinteistöhuolto', 'Logistiikka',
  'Puutarha', 'Sähkö',
];
export const ORGANISATION_FORMS = ['Oy', 'Oy', 'Oy', 'Ky', 'ry', 'Osk'];
export const CONTACT_TITLES = ['Toimitusjohtaja', 'HR-päällikkö', 'Rekrytointiasiantuntija', 'Myymäläpäällikkö', 'Tuotantopäällikkö', 'Yrittäjä'];
export const OPEN_JOBS = ['varastotyöntekijä', 'siivooja', 'kokki', 'asentaja', 'myyjä', 'lähihoitaja', 'kuljettaja'];
export const TRAINING_NEEDS = ['trukkikortti', 'hygieniapassi', 'työturvallisuuskortti', 'asiakaspalvelukoulutus'];
