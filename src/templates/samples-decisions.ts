/**
 * Synthetic per-category decisions, one for every right decided per category, in every language:
 * the data behind `sampleDecision` in samples.ts. Category labels are those of the default
 * register description; outcomes and grounds follow the rule table (LEGAL-RULES.md 3), with the
 * handler overrides the rules allow (17(1)(a) over 17(3)(b), 21(1) compelling grounds).
 */
import type { Language } from '../domain/request';
import type { CategoryRight, DecisionLetter } from './types';

type ByLanguage<T> = Record<Language, T>;
type DecisionParts = Pick<DecisionLetter, 'right' | 'categories' | 'corrections' | 'transmittedTo' | 'recipientsNotified' | 'recipientsNotNotified'>;

const LABELS = {
  client_basic: { fi: 'Asiakkaan perustiedot', sv: 'Kundens basuppgifter', en: 'Client’s basic information' },
  education_career: { fi: 'Koulutus- ja uratiedot', sv: 'Utbildnings- och karriäruppgifter', en: 'Education and career' },
  service_plans: { fi: 'Suunnitelmat ja palvelutarve', sv: 'Planer och servicebehov', en: 'Plans and service needs' },
  case_notes: { fi: 'Asiakaskertomukset', sv: 'Klientberättelser', en: 'Case notes' },
  events: { fi: 'Tapahtumat, koulutukset ja valmennukset', sv: 'Evenemang, utbildningar och coachning', en: 'Events, trainings and coaching' },
  projects: { fi: 'Työllisyyshankkeet', sv: 'Sysselsättningsprojekt', en: 'Employment projects' },
  photos: { fi: 'Kuvausrekisteri', sv: 'Fotoregister', en: 'Photo register' },
  visibility: { fi: 'Suostumukset tietojen näkyvyyteen', sv: 'Samtycken till att uppgifter visas', en: 'Consents to data visibility' },
} satisfies Record<string, ByLanguage<string>>;

const RETENTION = {
  ten: {
    fi: '10 vuotta asiakkuuden päättymisestä (tiedonohjaussuunnitelma)',
    sv: '10 år efter att kundrelationen upphört (informationsstyrningsplan)',
    en: '10 years after the client relationship ends (records management plan)',
  },
  twenty: { fi: '20 vuotta (tiedonohjaussuunnitelma)', sv: '20 år (informationsstyrningsplan)', en: '20 years (records management plan)' },
} satisfies Record<string, ByLanguage<string>>;

const RECIPIENTS = {
  kela: { fi: 'Kansaneläkelaitos (Kela)', sv: 'Folkpensionsanstalten (FPA)', en: 'Social Insurance Institution of Finland (Kela)' },
  te: { fi: 'Pohjois-Savon TE-toimisto', sv: 'TE-byrån i Norra Savolax', en: 'North Savo TE Office' },
  foredata: { fi: 'ForeData Oy (henkilötietojen käsittelijä)', sv: 'ForeData Oy (personuppgiftsbiträde)', en: 'ForeData Oy (processor)' },
  webropol: { fi: 'Webropol Oy (henkilötietojen käsittelijä)', sv: 'Webropol Oy (personuppgiftsbiträde)', en: 'Webropol Oy (processor)' },
} satisfies Record<string, ByLanguage<string>>;

const TEXT = {
  eventsNotNeeded: {
    fi: 'Tapahtumat päättyivät vuonna 2023, eikä osallistumistietoja enää tarvita mihinkään tarkoitukseen.',
    sv: 'Evenemangen avslutades 2023, och deltagaruppgifterna behövs inte längre för något ändamål.',
    en: 'The events ended in 2023, and the participation data is no longer needed for any purpose.',
  },
  eventsErased: { fi: '3 merkintää poistettu', sv: '3 anteckningar raderade', en: '3 entries erased' },
  photosErased: { fi: '2 kuvaa poistettu', sv: '2 bilder raderade', en: '2 photos erased' },
  consentErased: { fi: '1 suostumusmerkintä poistettu', sv: '1 samtyckesanteckning raderad', en: '1 consent record erased' },
  printedList: {
    fi: 'Osallistujaluettelo annettiin paperisena vuonna 2023, ja järjestäjä on hävittänyt sen. Järjestäjällä ei ole enää tietoja, joista ilmoittaa.',
    sv: 'Deltagarlistan lämnades ut på papper 2023, och arrangören har förstört den. Arrangören har inte längre några uppgifter att underrätta om.',
    en: 'The participant list was given on paper in 2023, and the organiser has destroyed it. The organiser no longer holds any data to be told about.',
  },
  organiser: { fi: 'Rekrytointitapahtuman järjestäjä (2023)', sv: 'Arrangören av rekryteringsevenemanget (2023)', en: 'Organiser of the recruitment event (2023)' },
  addressFixed: { fi: 'Katuosoite ja puhelinnumero korjattu', sv: 'Gatuadress och telefonnummer rättade', en: 'Street address and phone number corrected' },
  educationAccurate: {
    fi: 'Koulutusaste vastaa 14.1.2025 antamaasi todistusta.',
    sv: 'Utbildningsnivån motsvarar det intyg som du lämnade den 14.1.2025.',
    en: 'The level of education matches the certificate you gave us on 14 January 2025.',
  },
  streetAddress: { fi: 'Katuosoite', sv: 'Gatuadress', en: 'Street address' },
  phone: { fi: 'Puhelinnumero', sv: 'Telefonnummer', en: 'Phone number' },
  educationLevel: { fi: 'Koulutusaste', sv: 'Utbildningsnivå', en: 'Level of education' },
  proposedEducation: {
    fi: 'Ammatillinen perustutkinto (sosiaali- ja terveysala)',
    sv: 'Yrkesinriktad grundexamen (social- och hälsovård)',
    en: 'Vocational qualification (social and health care)',
  },
  educationRejected: {
    fi: 'Rekisterissä on 14.1.2025 antamasi todistuksen mukainen tutkinto (logistiikka). Lähetä meille todistus toisesta tutkinnosta, niin lisäämme sen.',
    sv: 'I registret finns examen enligt det intyg som du lämnade den 14.1.2025 (logistik). Skicka oss ett intyg över den andra examen, så lägger vi till den.',
    en: 'The register shows the qualification on the certificate you gave us on 14 January 2025 (logistics). Send us a certificate of the other qualification and we will add it.',
  },
  restricted: { fi: 'Merkitty rajoitetuksi 20.3.2025', sv: 'Markerad som begränsad 20.3.2025', en: 'Marked as restricted on 20 March 2025' },
  photosExported: { fi: '2 kuvaa ja niiden kuvaustiedot', sv: '2 bilder med beskrivningar', en: '2 photos with their descriptions' },
  projectStopped: {
    fi: 'Poistettu hankkeen jakelulistalta ja osallistujaseurannasta',
    sv: 'Struken från projektets sändlista och deltagaruppföljning',
    en: 'Removed from the project’s mailing list and participant follow-up',
  },
  trainingGrounds: {
    fi: 'Olet ilmoittautunut trukkikorttikoulutukseen, joka alkaa 8.4.2025. Tietoja tarvitaan koulutuksen järjestämiseen ja hakemasi koulutustodistuksen antamiseen.',
    sv: 'Du har anmält dig till en truckkortsutbildning som börjar den 8.4.2025. Uppgifterna behövs för att ordna utbildningen och utfärda det utbildningsintyg som du har ansökt om.',
    en: 'You have enrolled in a forklift training that starts on 8 April 2025. The data is needed to run the training and to issue the training certificate you applied for.',
  },
  photosRemoved: { fi: '2 kuvaa poistettu käytöstä', sv: '2 bilder tagna ur bruk', en: '2 photos removed from use' },
  visibilityEnded: {
    fi: 'Tietojen näkyvyys palveluntuottajille päättyi',
    sv: 'Uppgifterna visas inte längre för tjänsteproducenter',
    en: 'Data no longer shown to service providers',
  },
} satisfies Record<string, ByLanguage<string>>;

const none = { reason: null, retention: null, changes: null };

/** One decision of each right, in `language`. */
export function decisionParts(right: CategoryRight, l: Language): DecisionParts {
  const base = { right, recipientsNotified: [], recipientsNotNotified: [] };
  switch (right) {
    case 'erasure':
      return {
        ...base,
        categories: [
          { ...none, categoryLabel: LABELS.client_basic[l], outcome: 'refused', ground: 'gdpr_17_3_b_legal_obligation', retention: RETENTION.ten[l] },
          { ...none, categoryLabel: LABELS.case_notes[l], outcome: 'refused', ground: 'gdpr_17_3_b_legal_obligation', retention: RETENTION.twenty[l] },
          { ...none, categoryLabel: LABELS.events[l], outcome: 'granted', ground: 'gdpr_17_1_a_no_longer_needed', reason: TEXT.eventsNotNeeded[l], changes: TEXT.eventsErased[l] },
          { ...none, categoryLabel: LABELS.photos[l], outcome: 'granted', ground: 'gdpr_17_1_b_consent_withdrawn', changes: TEXT.photosErased[l] },
          { ...none, categoryLabel: LABELS.visibility[l], outcome: 'granted', ground: 'gdpr_17_1_b_consent_withdrawn', changes: TEXT.consentErased[l] },
        ],
        recipientsNotified: [RECIPIENTS.webropol[l]],
        recipientsNotNotified: [{ name: TEXT.organiser[l], reason: TEXT.printedList[l] }],
      };
    case 'rectification':
      return {
        ...base,
        categories: [
          { ...none, categoryLabel: LABELS.client_basic[l], outcome: 'granted', ground: 'gdpr_16_inaccurate', changes: TEXT.addressFixed[l] },
          { ...none, categoryLabel: LABELS.education_career[l], outcome: 'refused', ground: 'gdpr_16_accurate', reason: TEXT.educationAccurate[l] },
        ],
        corrections: [
          { field: TEXT.streetAddress[l], proposed: 'Puijonkatu 12 B 7, 70100 Kuopio', accepted: true, reason: null },
          { field: TEXT.phone[l], proposed: '040 765 4321', accepted: true, reason: null },
          { field: TEXT.educationLevel[l], proposed: TEXT.proposedEducation[l], accepted: false, reason: TEXT.educationRejected[l] },
        ],
        recipientsNotified: [RECIPIENTS.kela[l], RECIPIENTS.te[l]],
      };
    case 'restriction':
      return {
        ...base,
        categories: [
          { ...none, categoryLabel: LABELS.case_notes[l], outcome: 'granted', ground: 'gdpr_18_1_restricted', changes: TEXT.restricted[l] },
          { ...none, categoryLabel: LABELS.service_plans[l], outcome: 'granted', ground: 'gdpr_18_1_restricted', changes: TEXT.restricted[l] },
        ],
        recipientsNotified: [RECIPIENTS.foredata[l]],
      };
    case 'portability':
      return {
        ...base,
        categories: [
          { ...none, categoryLabel: LABELS.photos[l], outcome: 'granted', ground: 'gdpr_20_1_a_provided', changes: TEXT.photosExported[l] },
          { ...none, categoryLabel: LABELS.client_basic[l], outcome: 'not_applicable', ground: 'gdpr_20_1_a_basis' },
          { ...none, categoryLabel: LABELS.case_notes[l], outcome: 'not_applicable', ground: 'gdpr_20_1_a_basis' },
          { ...none, categoryLabel: LABELS.events[l], outcome: 'not_applicable', ground: 'gdpr_20_1_a_basis' },
        ],
        transmittedTo: null,
      };
    case 'objection':
      return {
        ...base,
        categories: [
          { ...none, categoryLabel: LABELS.projects[l], outcome: 'granted', ground: 'gdpr_21_1_stopped', changes: TEXT.projectStopped[l] },
          { ...none, categoryLabel: LABELS.events[l], outcome: 'refused', ground: 'gdpr_21_1_compelling_grounds', reason: TEXT.trainingGrounds[l] },
          { ...none, categoryLabel: LABELS.client_basic[l], outcome: 'not_applicable', ground: 'gdpr_21_1_not_public_task' },
        ],
      };
    case 'consent_withdrawal':
      return {
        ...base,
        categories: [
          { ...none, categoryLabel: LABELS.photos[l], outcome: 'granted', ground: 'gdpr_7_3_withdrawn', changes: TEXT.photosRemoved[l] },
          { ...none, categoryLabel: LABELS.visibility[l], outcome: 'granted', ground: 'gdpr_7_3_withdrawn', changes: TEXT.visibilityEnded[l] },
        ],
      };
  }
}
