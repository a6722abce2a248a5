/**
 * Synthetic example letters for every kind and language: used by the template tests, by
 * `scripts/render-samples.ts` for looking at the layout, and handy for previews. The people are
 * made up (131052-308T is the published test identity code); the controller, DPO and authority
 * contacts are those of the default register description (seed sections 2-5, 18).
 */
import type { Language } from '../domain/request';
import type {
  AccessAnswerLetter,
  ContactBlock,
  ExtensionLetter,
  LetterBase,
  ProcessingInformation,
  RefusalLetter,
  ReportSection,
  UnidentifiableLetter,
} from './types';

type ByLanguage<T> = Record<Language, T>;

const REGISTER: ByLanguage<string> = {
  fi: 'Kuopion työllisyyspalvelun asiakasrekisterit',
  sv: 'Kundregistren för Kuopio stads sysselsättningstjänster',
  en: 'Client registers of the City of Kuopio employment services',
};

const CONTROLLER: ByLanguage<ContactBlock & { businessId: string }> = {
  fi: contactOf('Kuopion kaupunki', 'Työllisyyspalvelut', 'Kirjaamo, PL 228, 70101 Kuopio'),
  sv: contactOf('Kuopio stad', 'Sysselsättningstjänster', 'Registratorskontoret, PB 228, 70101 Kuopio'),
  en: contactOf('City of Kuopio', 'Employment services', 'Registry, P.O. Box 228, 70101 Kuopio, Finland'),
};

function contactOf(name: string, organisation: string, address: string): ContactBlock & { businessId: string } {
  return { name, organisation, address, phone: '017 182 111', email: 'kirjaamo@kuopio.fi', web: 'https://www.kuopio.fi', businessId: '0171450-7' };
}

const DPO: ByLanguage<ContactBlock> = {
  fi: { name: 'Kuopion kaupunki', phone: '044 718 2854', email: 'tietosuojavastaava@kuopio.fi' },
  sv: { name: 'Kuopio stad', phone: '044 718 2854', email: 'tietosuojavastaava@kuopio.fi' },
  en: { name: 'City of Kuopio', phone: '044 718 2854', email: 'tietosuojavastaava@kuopio.fi' },
};

const AUTHORITY: ByLanguage<ContactBlock> = {
  fi: { name: 'Tietosuojavaltuutetun toimisto', address: 'PL 800, 00531 Helsinki', phone: '029 566 6700', email: 'tietosuoja@om.fi', web: 'https://tietosuoja.fi' },
  sv: { name: 'Dataombudsmannens byrå', address: 'PB 800, 00531 Helsingfors', phone: '029 566 6700', email: 'tietosuoja@om.fi', web: 'https://tietosuoja.fi/sv' },
  en: { name: 'Office of the Data Protection Ombudsman', address: 'PL 800, 00531 Helsinki, Finland', phone: '029 566 6700', email: 'tietosuoja@om.fi', web: 'https://tietosuoja.fi/en' },
};

const COURT: ByLanguage<ContactBlock> = {
  fi: { name: 'Itä-Suomen hallinto-oikeus', address: 'PL 1744, 70101 Kuopio', phone: '029 56 42500', email: 'ita-suomi.hao@oikeus.fi' },
  sv: { name: 'Östra Finlands förvaltningsdomstol', address: 'PB 1744, 70101 Kuopio', phone: '029 56 42500', email: 'ita-suomi.hao@oikeus.fi' },
  en: { name: 'Eastern Finland Administrative Court', address: 'P.O. Box 1744, 70101 Kuopio, Finland', phone: '029 56 42500', email: 'ita-suomi.hao@oikeus.fi' },
};

const TITLES: ByLanguage<{ manager: string; director: string }> = {
  fi: { manager: 'Työllisyyspalvelupäällikkö', director: 'Työllisyysjohtaja' },
  sv: { manager: 'Chef för sysselsättningstjänster', director: 'Sysselsättningsdirektör' },
  en: { manager: 'Employment services manager', director: 'Director of employment' },
};

/** The fields every sample letter shares. */
export function sampleBase(language: Language): LetterBase {
  return {
    language,
    reference: 'DSR-2025-000123',
    issuedOn: '2025-03-20',
    receivedOn: '2025-03-05',
    deadline: '2025-04-07',
    registerName: REGISTER[language],
    controller: CONTROLLER[language],
    dpo: DPO[language],
    contactPerson: { name: 'Salla Rönkkö', title: TITLES[language].manager, phone: '044 718 1590' },
    signedBy: { name: 'Pirjo Oksanen', title: TITLES[language].director },
    supervisoryAuthority: AUTHORITY[language],
    appealCourt: COURT[language],
  };
}

const INFORMATION: ByLanguage<ProcessingInformation> = {
  fi: {
    purposes: [
      'Työllisyyspalvelujen järjestäminen sekä asiakastiedon ja asiakasprosessien hallinta ja seuranta.',
      'Oman toiminnan suunnittelu, kehittäminen ja tilastointi anonyymeillä tiedoilla.',
      'Palvelua koskeva tiedottaminen asiakkaan suostumuksella otetuilla kuvilla.',
    ],
    categories: [
      { label: 'Asiakastiedot', legalBasis: 'Lakisääteinen velvoite (tietosuoja-asetus 6 artiklan 1 kohdan c alakohta)', retention: '10 vuotta asiakkuuden päättymisestä' },
      { label: 'Asiakaskertomukset ja suunnitelmat', legalBasis: 'Lakisääteinen velvoite (6 artiklan 1 kohdan c alakohta)', retention: '20 vuotta' },
      { label: 'Tapahtumat ja koulutukset', legalBasis: 'Yleinen etu (6 artiklan 1 kohdan e alakohta)', retention: '2 vuotta' },
      { label: 'Kuvat', legalBasis: 'Suostumus (6 artiklan 1 kohdan a alakohta)', retention: 'Suostumuksen voimassaolon ajan' },
    ],
    recipients: ['Kela, TE-toimisto, sosiaali- ja terveyspalvelut ja poliisi lakiin perustuen', 'Tietojärjestelmätoimittajat (mm. Istekki Oy, ForeData Oy, Webropol Oy) henkilötietojen käsittelijöinä'],
    retention: '2–20 vuotta asiakirjan säilytysajan mukaan (tiedonohjaussuunnitelma, kirjanpitolaki 1336/1997 2 luku 10 §).',
    sources: ['Rekisteröity itse', 'Digi- ja väestötietoviraston väestötietojärjestelmä', 'Palveluntuottajat ja työnantajat asiakasprosessiin liittyen'],
    automatedDecisionMaking: 'Henkilötietoja ei käytetä automaattiseen päätöksentekoon eikä profilointiin.',
    transfersOutsideEea: 'Microsoft Office 365 -palvelu voi siirtää henkilötietoja EU- ja ETA-alueen ulkopuolelle. Muutoin tietoja ei siirretä.',
    rights: ['Oikeus saada pääsy tietoihin', 'Oikeus tietojen oikaisemiseen', 'Oikeus käsittelyn rajoittamiseen', 'Oikeus vastustaa käsittelyä', 'Oikeus peruuttaa suostumus'],
  },
  sv: {
    purposes: [
      'Att ordna sysselsättningstjänster samt hantera och följa upp kunduppgifter och kundprocesser.',
      'Planering, utveckling och statistik för den egna verksamheten med anonyma uppgifter.',
      'Information om tjänsten med bilder som tagits med kundens samtycke.',
    ],
    categories: [
      { label: 'Kunduppgifter', legalBasis: 'Rättslig förpliktelse (artikel 6.1 c i dataskyddsförordningen)', retention: '10 år efter att kundrelationen upphört' },
      { label: 'Klientberättelser och planer', legalBasis: 'Rättslig förpliktelse (artikel 6.1 c)', retention: '20 år' },
      { label: 'Evenemang och utbildningar', legalBasis: 'Allmänt intresse (artikel 6.1 e)', retention: '2 år' },
      { label: 'Bilder', legalBasis: 'Samtycke (artikel 6.1 a)', retention: 'Så länge samtycket gäller' },
    ],
    recipients: ['FPA, TE-byrån, social- och hälsovårdstjänster och polisen med stöd av lag', 'Systemleverantörer (bl.a. Istekki Oy, ForeData Oy, Webropol Oy) som personuppgiftsbiträden'],
    retention: '2–20 år enligt handlingens förvaringstid (informationsstyrningsplan, bokföringslagen 1336/1997 2 kap. 10 §).',
    sources: ['Den registrerade själv', 'Befolkningsdatasystemet vid Myndigheten för digitalisering och befolkningsdata', 'Tjänsteproducenter och arbetsgivare i kundprocessen'],
    automatedDecisionMaking: 'Personuppgifterna används inte för automatiserat beslutsfattande eller profilering.',
    transfersOutsideEea: 'Tjänsten Microsoft Office 365 kan överföra personuppgifter utanför EU och EES. I övrigt överförs inga uppgifter.',
    rights: ['Rätt till tillgång', 'Rätt till rättelse', 'Rätt till begränsning av behandling', 'Rätt att göra invändningar', 'Rätt att återkalla samtycke'],
  },
  en: {
    purposes: [
      'Organising employment services and managing and monitoring client data and client processes.',
      'Planning, developing and compiling statistics on our own work with anonymised data.',
      'Informing about the service with photos taken with the client’s consent.',
    ],
    categories: [
      { label: 'Client details', legalBasis: 'Legal obligation (GDPR Article 6(1)(c))', retention: '10 years after the client relationship ends' },
      { label: 'Case notes and plans', legalBasis: 'Legal obligation (Article 6(1)(c))', retention: '20 years' },
      { label: 'Events and training', legalBasis: 'Public interest (Article 6(1)(e))', retention: '2 years' },
      { label: 'Photos', legalBasis: 'Consent (Article 6(1)(a))', retention: 'As long as the consent is valid' },
    ],
    recipients: ['Kela, the TE Office, social and health services and the police, as the law provides', 'System suppliers (e.g. Istekki Oy, ForeData Oy, Webropol Oy) as processors'],
    retention: '2–20 years depending on the document’s retention period (records management plan, Accounting Act 1336/1997 chapter 2 section 10).',
    sources: ['You', 'The Population Information System of the Digital and Population Data Services Agency', 'Service providers and employers in the client process'],
    automatedDecisionMaking: 'Personal data is not used for automated decision-making or profiling.',
    transfersOutsideEea: 'The Microsoft Office 365 service may transfer personal data outside the EU and the EEA. Otherwise no data is transferred.',
    rights: ['Right of access', 'Right to rectification', 'Right to restriction of processing', 'Right to object', 'Right to withdraw consent'],
  },
};

const LONG_NOTE =
  'Asiakas kertoo hakeneensa syksyn aikana useita varastotyöpaikkoja Kuopiossa ja Siilinjärvellä. ' +
  'Kuntouttavan työtoiminnan jakso Särkiniemen toimipisteessä on sujunut hyvin, ja ohjaaja Linnea Åström ' +
  'on antanut myönteistä palautetta täsmällisyydestä. Sovittiin, että asiakas osallistuu trukkikorttikoulutukseen ' +
  'huhtikuussa ja että palvelutarve arvioidaan uudelleen kesäkuussa. [poistettu: toista henkilöä koskeva tieto] ' +
  'Asiakas toivoo jatkossa osa-aikatyötä, koska hän hoitaa iltaisin läheistään. Keskusteltiin myös ' +
  'matkakustannuksista ja siitä, miten Kelan etuudet vaikuttavat palkkatuettuun työhön. ';

const SECTIONS: ReportSection[] = [
  {
    category: 'client',
    categoryLabel: 'Asiakastiedot',
    system: 'ForeAmmatti (ForeData Oy)',
    legalBasis: 'Lakisääteinen velvoite, 6(1)(c)',
    records: [
      {
        fields: [
          { label: 'Nimi', value: 'Aino Hämäläinen' },
          { label: 'Henkilötunnus', value: '131052-308T' },
          { label: 'Osoite', value: 'Väinölänniemenkatu 5 A 12, 70100 Kuopio' },
          { label: 'Puhelin', value: '040 123 4567' },
          { label: 'Koulutusaste', value: 'Ammatillinen perustutkinto (logistiikka)' },
        ],
      },
    ],
  },
  {
    category: 'case_notes',
    categoryLabel: 'Asiakaskertomukset',
    system: 'ForeAmmatti (ForeData Oy)',
    legalBasis: 'Lakisääteinen velvoite, 6(1)(c)',
    records: [
      { fields: [{ label: 'Päivämäärä', value: '14.1.2025' }, { label: 'Kirjaaja', value: 'Joonas Öhman' }, { label: 'Merkintä', value: LONG_NOTE.repeat(3).trim() }] },
      { fields: [{ label: 'Päivämäärä', value: '3.2.2025' }, { label: 'Kirjaaja', value: 'Joonas Öhman' }, { label: 'Merkintä', value: 'Palvelutarpeen arvio päivitetty. Asiakas Åström-ryhmän valmennukseen.' }] },
    ],
    withheld: [{ description: 'Psykologin lausunto 12.2.2025', ground: 'Tietosuojalaki 1050/2018 34 §' }],
  },
  {
    category: 'events',
    categoryLabel: 'Tapahtumat ja koulutukset',
    system: 'HankintaSampo/TyöllisyysSampo (SC Software Oy)',
    legalBasis: 'Yleinen etu, 6(1)(e)',
    records: [
      { fields: [{ label: 'Tapahtuma', value: 'Rekrytointitapahtuma, Musiikkikeskus' }, { label: 'Päivämäärä', value: '6.3.2025' }, { label: 'Ruokarajoitteet', value: 'Laktoositon' }] },
      { fields: [{ label: 'Tapahtuma', value: 'Trukkikorttikoulutus' }, { label: 'Päivämäärä', value: '8.4.2025' }, { label: 'Ruokarajoitteet', value: '' }] },
    ],
  },
];

/** An access answer with data, a redaction and a withheld item. */
export function sampleAccessAnswer(language: Language): AccessAnswerLetter {
  return { ...sampleBase(language), kind: 'access_answer', processed: true, information: INFORMATION[language], sections: SECTIONS, redactions: 2 };
}

/** An access answer for someone the register has no data about (GDPR 15(1) "not processed"). */
export function sampleNothingProcessed(language: Language): AccessAnswerLetter {
  return { ...sampleAccessAnswer(language), processed: false, sections: [], redactions: 0 };
}

const EXTENSION_REASONS: ByLanguage<string> = {
  fi: 'Pyyntö koskee kymmenen vuoden ajalta tietoja neljästä eri tietojärjestelmästä, ja osa asiakirjoista on paperiarkistossa. Lisäksi saimme maaliskuussa poikkeuksellisen paljon tietopyyntöjä.',
  sv: 'Begäran gäller uppgifter från tio år i fyra olika informationssystem, och en del av handlingarna finns i pappersarkivet. Dessutom fick vi i mars ovanligt många begäranden.',
  en: 'The request covers ten years of data in four information systems, and some documents are in the paper archive. We also received an unusually large number of requests in March.',
};

/** An extension notice given before the first deadline. */
export function sampleExtension(language: Language): ExtensionLetter {
  return { ...sampleBase(language), kind: 'extension', issuedOn: '2025-03-28', extendedDeadline: '2025-06-05', reasons: EXTENSION_REASONS[language] };
}

const REFUSAL_REASONS: ByLanguage<string> = {
  fi: 'Olet pyytänyt samoja tietoja yhdeksän kertaa vuoden 2025 aikana, viimeksi 3.3.2025. Tietoihin ei ole tehty muutoksia edellisen vastauksen (20.2.2025) jälkeen.',
  sv: 'Du har begärt samma uppgifter nio gånger under 2025, senast den 3.3.2025. Uppgifterna har inte ändrats sedan det föregående svaret (20.2.2025).',
  en: 'You have asked for the same data nine times in 2025, most recently on 3 March 2025. The data has not changed since our previous reply (20 February 2025).',
};

/** A refusal of a repeated request. */
export function sampleRefusal(language: Language): RefusalLetter {
  return { ...sampleBase(language), kind: 'refusal', ground: 'gdpr_12_5_excessive', scope: 'whole', reasons: REFUSAL_REASONS[language] };
}

const UNIDENTIFIABLE_REASONS: ByLanguage<string> = {
  fi: 'Pyyntö tehtiin paperilomakkeella ilman allekirjoitusta, eikä lomakkeen osoite vastaa väestötietojärjestelmän tietoja. Pyysimme 10.3.2025 tunnistautumaan, mutta emme saaneet vastausta.',
  sv: 'Begäran gjordes på en pappersblankett utan underskrift, och adressen stämmer inte med befolkningsdatasystemet. Vi bad dig den 10.3.2025 att identifiera dig men fick inget svar.',
  en: 'The request was made on a paper form without a signature, and the address does not match the Population Information System. On 10 March 2025 we asked you to identify yourself but received no reply.',
};

/** A notice closing a request whose sender could not be identified. */
export function sampleUnidentifiable(language: Language): UnidentifiableLetter {
  return { ...sampleBase(language), kind: 'unidentifiable', reasons: UNIDENTIFIABLE_REASONS[language] };
}
