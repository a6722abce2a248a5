/**
 * A rendering thread of the worker's render pool: takes a letter (plain data), gives back its
 * PDF bytes. Fonts are parsed once per thread, on its first letter.
 */
import { renderLetter } from './index';
import type { Letter } from './types';

export default async function render(letter: Letter): Promise<Uint8Array> {
  return renderLetter(letter);
}
