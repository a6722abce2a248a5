/**
 * The tagged structure of a long access answer, read from the file itself: the structure tree
 * walks the content in the order it is drawn (what a screen reader follows), every marked piece
 * of content belongs to exactly one element, a data-report record is one paragraph (its caption,
 * labels and values in order) rather than a table of cells, and the file stays within 4 KB a page.
 */
import { inflateSync } from 'node:zlib';
import { accessAnswerWithRecords } from '../../bench/letters';
import { renderLetter } from '../../templates';

interface Parsed {
  objects: Map<number, string>;
  streams: Map<number, string>;
}

function parse(pdf: Buffer): Parsed {
  const objects = new Map<number, string>();
  const streams = new Map<number, string>();
  const text = pdf.toString('latin1');
  const re = /(\d+) 0 obj\n([\s\S]*?)endobj/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const id = Number(m[1]);
    const body = m[2];
    const at = body.indexOf('stream\n');
    objects.set(id, at < 0 ? body : body.slice(0, at));
    if (at >= 0 && /\/Filter \/FlateDecode/.test(body)) {
      const start = m.index + m[0].indexOf('stream\n') + 7;
      const end = m.index + m[0].lastIndexOf('endstream');
      try {
        streams.set(id, inflateSync(pdf.subarray(start, end)).toString('latin1'));
      } catch {
        // not a complete deflate stream (the XMP packet is stored as is)
      }
    }
  }
  return { objects, streams };
}

const ref = (dict: string, key: string) => Number(new RegExp(`/${key} (\\d+) 0 R`).exec(dict)?.[1]);
const kids = (dict: string) => /\/K \[([^\]]*)\]/.exec(dict)?.[1] ?? '';

let pdf: Buffer;
let parsed: Parsed;
const RECORDS = 400;

beforeAll(async () => {
  pdf = await renderLetter(accessAnswerWithRecords(RECORDS));
  parsed = parse(pdf);
});

/** Page object ids in page order. */
function pages(): number[] {
  const catalog = [...parsed.objects.values()].find((d) => d.includes('/Type /Catalog'))!;
  const root = parsed.objects.get(ref(catalog, 'Pages'))!;
  return [...kids(root.replace('/Kids', '/K')).matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
}

/** The structure tree depth first: each element's type and its marked content as [page, mcid]. */
function walk(): { type: string; content: [number, number][] }[] {
  const order = pages();
  const catalog = [...parsed.objects.values()].find((d) => d.includes('/Type /Catalog'))!;
  const out: { type: string; content: [number, number][] }[] = [];
  const visit = (id: number) => {
    const dict = parsed.objects.get(id)!;
    const type = /\/S \/(\w+)/.exec(dict)?.[1] ?? '?';
    const page = order.indexOf(ref(dict.replace(/\/K \[[^\]]*\]/, ''), 'Pg')); // the element's own page, not one of its kids'
    const element = { type, content: [] as [number, number][] };
    out.push(element);
    const list = kids(dict);
    for (const item of list.matchAll(/(\d+) 0 R|<<[^>]*\/Pg (\d+) 0 R[^>]*\/MCID (\d+)[^>]*>>|(\d+)/g)) {
      if (item[1]) {
        const child = parsed.objects.get(Number(item[1]))!;
        if (child.includes('/S /')) visit(Number(item[1]));
      } else if (item[2]) element.content.push([order.indexOf(Number(item[2])), Number(item[3])]);
      else element.content.push([page, Number(item[4])]);
    }
  };
  const tree = parsed.objects.get(ref(catalog, 'StructTreeRoot'))!;
  for (const m of kids(tree).matchAll(/(\d+) 0 R/g)) visit(Number(m[1]));
  return out;
}

test('the structure tree reads the content in the order it is drawn, each marked piece once', () => {
  const order = pages();
  const sequence = walk().flatMap((e) => e.content);
  for (let i = 1; i < sequence.length; i++) {
    const [page, mcid] = sequence[i];
    const [lastPage, lastMcid] = sequence[i - 1];
    expect(page > lastPage || (page === lastPage && mcid > lastMcid)).toBe(true);
  }
  // Every marked-content id drawn on a page is in the tree.
  let drawn = 0;
  for (const pageId of order) {
    const content = parsed.streams.get(ref(parsed.objects.get(pageId)!, 'Contents'))!;
    drawn += [...content.matchAll(/\/MCID (\d+)/g)].length;
  }
  expect(sequence.length).toBe(drawn);
});

test('a data-report record is one paragraph, not a table of cells', () => {
  const elements = walk();
  // Tables remain for the letter head, the processing information and the section facts.
  expect(elements.filter((e) => e.type === 'TD').length).toBeLessThan(100);
  expect(elements.filter((e) => e.type === 'P').length).toBeGreaterThanOrEqual(RECORDS);
  // A record's paragraph has one run of marked content per page it is on.
  const pagesOfRecords = elements.filter((e) => e.type === 'P').map((e) => new Set(e.content.map(([p]) => p)).size);
  for (const [i, e] of elements.filter((x) => x.type === 'P').entries()) expect(e.content.length).toBe(pagesOfRecords[i]);
});

test('a long access answer takes at most 4 KB a page', () => {
  const count = pages().length;
  expect(count).toBeGreaterThan(40);
  expect(pdf.length / count).toBeLessThanOrEqual(4096);
});
