/**
 * Synthetic example letters for every kind and language: used by the template tests, by
 * `scripts/render-samples.ts` for looking at the layout, and handy for previews. The people are
 * made up (131052-308T is the published test identity code); the controller, DPO and authority
 * contacts are those of the default register description (seed sections 2-5, 18).
 */
import type { Language } from '../domain/request';
import { decisionParts } from './samples-decisions';
import type {
  AccessAnswerLetter,
  AcknowledgementLetter,
  AutomatedDecisionsLetter,
  CategoryRight,
  ConfirmationLetter,
  ContactBlock,
  DecisionLetter,
  ExtensionLetter,
  FeeNoticeLetter,
  InformationRequestLetter,
  LetterBase,
  PrivacyNoticeLetter,
  ProcessingInformation,
  RecipientNoticeLetter,
  RefusalLetter,
  ReportSection,
  RestrictionLiftNoticeLetter,
  UnidentifiableLetter,
  WithdrawalConfirmationLetter,
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

/** The acknowledgement sent on the day an erasure request arrives, identity not yet verified. */
export function sampleAcknowledgement(language: Language): AcknowledgementLetter {
  return { ...sampleBase(language), kind: 'acknowledgement', issuedOn: '2025-03-05', right: 'erasure', identityVerified: false };
}

const NEEDED: ByLanguage<string> = {
  fi: 'Pyyntö tehtiin paperilomakkeella, jossa ei ole allekirjoitusta, ja lomakkeen osoite poikkeaa väestötietojärjestelmän osoitteesta. Tarvitsemme kopion voimassa olevasta henkilöllisyystodistuksesta tai henkilökohtaisen käynnin, jotta voimme varmistaa, että pyynnön on tehnyt se, jota tiedot koskevat.',
  sv: 'Begäran gjordes på en pappersblankett utan underskrift, och adressen på blanketten avviker från adressen i befolkningsdatasystemet. Vi behöver en kopia av en giltig identitetshandling eller ett personligt besök för att kunna kontrollera att begäran har gjorts av den som uppgifterna gäller.',
  en: 'The request was made on a paper form without a signature, and the address on the form differs from the one in the Population Information System. We need a copy of a valid identity document, or a visit in person, to confirm that the request was made by the person the data concerns.',
};

/** GDPR 12(6): the first request for identity information; the clock keeps running (the default). */
export function sampleInformationRequest(language: Language): InformationRequestLetter {
  return {
    ...sampleBase(language),
    kind: 'information_request',
    issuedOn: '2025-03-10',
    needed: NEEDED[language],
    respondBy: '2025-03-24',
    reminder: false,
    clockPaused: false,
  };
}

/** The reminder of an information request, with the clock paused (the setting turned on). */
export function sampleInformationReminder(language: Language): InformationRequestLetter {
  return { ...sampleInformationRequest(language), issuedOn: '2025-03-25', respondBy: '2025-04-04', reminder: true, firstRequestedOn: '2025-03-10', clockPaused: true };
}

const FEE_BASIS: ByLanguage<string> = {
  fi: 'Olet pyytänyt jäljennöstä samoista tiedoista neljä kertaa 1.1.2025 jälkeen, viimeksi 28.2.2025, ja saanut jokaiseen pyyntöön vastauksen. Tietoihisi ei ole tehty muutoksia edellisen vastauksen jälkeen. Jokaisen jäljennöksen kokoaminen neljästä tietojärjestelmästä ja paperiarkistosta vie noin kuusi työtuntia.',
  sv: 'Du har begärt en kopia av samma uppgifter fyra gånger sedan 1.1.2025, senast den 28.2.2025, och fått svar på varje begäran. Dina uppgifter har inte ändrats sedan det föregående svaret. Att sammanställa varje kopia från fyra informationssystem och pappersarkivet tar cirka sex arbetstimmar.',
  en: 'You have asked for a copy of the same data four times since 1 January 2025, most recently on 28 February 2025, and received a reply to each request. Your data has not changed since our previous reply. Compiling each copy from four information systems and the paper archive takes about six hours of work.',
};

/** GDPR 12(5)(a): a fee for a repeated access request, announced so it can be withdrawn. */
export function sampleFeeNotice(language: Language): FeeNoticeLetter {
  return { ...sampleBase(language), kind: 'fee_notice', ground: 'gdpr_12_5_excessive', amount: 45, basis: FEE_BASIS[language], payBy: '2025-04-03' };
}

/** A per-category decision of `right` (default erasure, partly granted). */
export function sampleDecision(language: Language, right: CategoryRight = 'erasure'): DecisionLetter {
  return { ...sampleBase(language), kind: 'decision', ...decisionParts(right, language) };
}

/** The subject withdrew the request after the fee notice. */
export function sampleWithdrawalConfirmation(language: Language): WithdrawalConfirmationLetter {
  return { ...sampleBase(language), kind: 'withdrawal_confirmation', issuedOn: '2025-03-19', withdrawnOn: '2025-03-18' };
}

const LIFT_CATEGORIES: ByLanguage<string[]> = {
  fi: ['Asiakaskertomukset', 'Suunnitelmat ja palvelutarve'],
  sv: ['Klientberättelser', 'Planer och servicebehov'],
  en: ['Case notes', 'Plans and service needs'],
};

const LIFT_REASON: ByLanguage<string> = {
  fi: 'Rajoitus tehtiin, koska kiistit asiakaskertomusten paikkansapitävyyden. Olemme tarkistaneet merkinnät, ja ne vastaavat tapaamisissa sovittua. Antamasi lisäselvitys (2.4.2025) on liitetty merkintöihin.',
  sv: 'Begränsningen gjordes eftersom du bestred att klientberättelserna var riktiga. Vi har kontrollerat anteckningarna, och de motsvarar det som avtalades vid mötena. Ditt kompletterande utlåtande (2.4.2025) har fogats till anteckningarna.',
  en: 'The restriction was made because you contested the accuracy of the case notes. We have checked the entries, and they match what was agreed at the meetings. Your supplementary statement (2 April 2025) has been added to them.',
};

/** GDPR 18(3): told on 15 April that a restriction ends on 2 May. */
export function sampleRestrictionLiftNotice(language: Language): RestrictionLiftNoticeLetter {
  return { ...sampleBase(language), kind: 'restriction_lift_notice', issuedOn: '2025-04-15', categories: LIFT_CATEGORIES[language], liftOn: '2025-05-02', reason: LIFT_REASON[language] };
}

const KELA: ByLanguage<string> = {
  fi: 'Kansaneläkelaitos (Kela), Itä-Suomen vakuutuspiiri',
  sv: 'Folkpensionsanstalten (FPA), försäkringsdistriktet i Östra Finland',
  en: 'Social Insurance Institution of Finland (Kela), Eastern Finland insurance district',
};

const RECTIFIED: ByLanguage<{ category: string; details: string }> = {
  fi: { category: 'Asiakkaan perustiedot', details: 'Katuosoite oikaistu muotoon Puijonkatu 12 B 7, 70100 Kuopio.' },
  sv: { category: 'Kundens basuppgifter', details: 'Gatuadressen har rättats till Puijonkatu 12 B 7, 70100 Kuopio.' },
  en: { category: 'Client’s basic information', details: 'Street address rectified to Puijonkatu 12 B 7, 70100 Kuopio.' },
};

/** GDPR 19: the rectification told to Kela, which needs the identity code to find the data. */
export function sampleRecipientNotice(language: Language = 'fi'): RecipientNoticeLetter {
  return {
    ...sampleBase(language),
    kind: 'recipient_notice',
    recipientName: KELA[language],
    change: 'rectification',
    categories: [RECTIFIED[language].category],
    decidedOn: '2025-03-20',
    subjectIdentifier: '131052-308T',
    details: RECTIFIED[language].details,
  };
}

/** GDPR 13-14: the answer to a request for information about processing. */
export function samplePrivacyNotice(language: Language): PrivacyNoticeLetter {
  return {
    ...sampleBase(language),
    kind: 'privacy_notice',
    information: INFORMATION[language],
    representative: { name: 'Pirjo Oksanen', title: TITLES[language].director, phone: '044 718 1711' },
  };
}

/** GDPR 15(1), first sentence: data is processed. */
export function sampleConfirmation(language: Language): ConfirmationLetter {
  return { ...sampleBase(language), kind: 'confirmation', processed: true };
}

/** GDPR 22: the register makes no automated decisions (seed section 13). */
export function sampleAutomatedDecisions(language: Language): AutomatedDecisionsLetter {
  return { ...sampleBase(language), kind: 'automated_decisions', statement: INFORMATION[language].automatedDecisionMaking };
}
