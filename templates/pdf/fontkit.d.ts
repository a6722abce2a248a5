/** The part of fontkit (pdfkit's font parser, which ships no types) the letter fonts use. */
declare module 'fontkit' {
  export function create(buffer: Buffer): unknown;
}
