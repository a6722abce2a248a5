/**
 * A tiny HTML toolkit for the resident pages: an escaping tagged template and the page layout.
 * Every interpolated value is escaped unless it is itself the output of `html`, so text from a
 * resident or a catalog can never become markup.
 */

/** Markup produced by `html`: safe to interpolate into another template as it is. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for use in element content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** The escaping template tag: `html\`<p>${text}</p>\``. Arrays are joined; null, undefined and false render nothing. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new Html(out);
}

/** `attr('aria-describedby', ids)`: an attribute, or nothing when the value is empty. */
export function attr(name: string, value: string | null | undefined | false): Html {
  return value ? html` ${name}="${value}"` : html``;
}

export interface LayoutOptions {
  /** BCP 47 tag for `<html lang>`. */
  lang: string;
  /** The document title (already in the page's language). */
  title: string;
  /** The service name shown in the header and appended to the title. */
  service: string;
  /** Text of the skip link. */
  skipLink: string;
  /** Label of the navigation landmarks. */
  navLabel: string;
  languageNavLabel: string;
  /** Main navigation: the resident's two tasks. */
  nav: { href: string; text: string; current: boolean }[];
  /** Links to the same page in the other languages. */
  languages: { href: string; text: string; lang: string; hreflang: string }[];
  footer: Html;
  main: Html;
  /** Who is signed in and a way out, under the navigation; absent on pages that have no account. */
  account?: Html;
  /** Styles of one family of pages (the staff pages' tables and forms), after the shared ones. */
  extraStyle?: string;
}

/** The page layout shared by the resident and staff pages. */
export function layout(o: LayoutOptions): Html {
  return html`<!DOCTYPE html>
<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${o.title} – ${o.service}</title>
<style>${new Html(STYLE)}${o.extraStyle ? new Html(o.extraStyle) : ''}</style>
</head>
<body>
<a class="skip" href="#main">${o.skipLink}</a>
<header class="site">
  <div class="bar">
    <a class="service" href="${o.nav[0]?.href ?? '/'}">${o.service}</a>
    <nav class="languages" aria-label="${o.languageNavLabel}">
      <ul>${o.languages.map((l) => html`<li><a href="${l.href}" lang="${l.lang}" hreflang="${l.hreflang}">${l.text}</a></li>`)}</ul>
    </nav>
  </div>
  <nav class="tasks" aria-label="${o.navLabel}">
    <ul>${o.nav.map((n) => html`<li><a href="${n.href}"${attr('aria-current', n.current && 'page')}>${n.text}</a></li>`)}</ul>
  </nav>
${o.account ? html`  <div class="account"><div class="account-bar">${o.account}</div></div>
` : html``}</header>
<main id="main" tabindex="-1">
${o.main}
</main>
<footer class="site">${o.footer}</footer>
</body>
</html>
`;
}

/**
 * Readable sizes, visible focus and WCAG 2.1 AA contrast: body text #1a1a1a and links #0b4f8a on
 * white (> 7:1), errors #a4001d (> 7:1), input borders and focus rings above 3:1.
 */
const STYLE = `
*,*::before,*::after{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;font-size:1.125rem;line-height:1.55;color:#1a1a1a;background:#fff}
a{color:#0b4f8a;text-decoration-thickness:1px;text-underline-offset:.15em}
a:hover{color:#06304f;text-decoration-thickness:3px}
:focus-visible{outline:3px solid #0b4f8a;outline-offset:3px}
a:focus-visible{outline:3px solid #1a1a1a;background:#ffd43b;color:#1a1a1a;text-decoration:none}
.skip{position:absolute;left:-9999px;top:0;padding:.5rem 1rem;background:#ffd43b;color:#1a1a1a}
.skip:focus{left:1rem;top:1rem;z-index:10}
header.site{background:#0b4f8a;color:#fff}
header.site a{color:#fff}
header.site a:focus-visible{color:#1a1a1a}
.bar,.tasks ul,main,footer.site{max-width:46rem;margin:0 auto;padding:0 1rem}
.bar{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem 1.5rem;padding-top:.9rem;padding-bottom:.6rem}
.service{font-weight:700;font-size:1.3rem;text-decoration:none}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}
.tasks{background:#083a66}
.tasks ul{padding-top:.5rem;padding-bottom:.5rem}
.tasks a[aria-current="page"]{font-weight:700;text-decoration-thickness:3px}
main{padding-top:1.5rem;padding-bottom:3rem}
main:focus{outline:none}
h1{font-size:2rem;line-height:1.2;margin:.5rem 0 1rem}
h2{font-size:1.4rem;line-height:1.3;margin:2rem 0 .75rem}
h3{font-size:1.15rem;margin:1.25rem 0 .5rem}
p,ul,ol,dl{margin:0 0 1rem}
.lead{font-size:1.25rem}
.field{margin:0 0 1.75rem}
.field.has-error{border-left:5px solid #a4001d;padding-left:1rem}
label,legend{display:block;font-weight:700;margin-bottom:.25rem}
legend{font-size:1.25rem;padding:0}
fieldset{border:0;margin:0 0 1.75rem;padding:0;min-width:0}
.field>fieldset{margin:0}
fieldset.details{border-left:4px solid #0b4f8a;padding:0 0 0 1rem;margin:0 0 2.25rem}
fieldset.details>legend{font-size:1.3rem;float:left;width:100%;margin-bottom:.5rem}
fieldset.details>legend+*{clear:both}
fieldset.row{margin:1.25rem 0 .5rem;padding-top:.75rem;border-top:1px solid #b1b4b6}
fieldset.row>legend{font-size:1.125rem;float:left;width:100%;margin-bottom:.5rem}
fieldset.row>legend+*{clear:both}
form{margin:0 0 2rem}
.req{font-weight:400}
.hint{display:block;color:#454545;margin:0 0 .4rem;font-weight:400}
.error{display:block;color:#a4001d;font-weight:700;margin:0 0 .4rem}
input[type=text],input[type=email],input[type=tel],input[type=url],select,textarea{display:block;width:100%;max-width:30rem;font:inherit;padding:.45rem .55rem;border:2px solid #1a1a1a;border-radius:0;background:#fff;color:#1a1a1a}
input.short{max-width:16rem}
textarea{max-width:100%;min-height:8rem}
textarea[rows="3"]{min-height:5rem}
input[aria-invalid="true"],select[aria-invalid="true"],textarea[aria-invalid="true"]{border-color:#a4001d;border-width:3px}
input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #0b4f8a;outline-offset:0;box-shadow:inset 0 0 0 2px #0b4f8a}
.choice{display:grid;grid-template-columns:2.25rem 1fr;gap:0 .5rem;align-items:start;margin:0 0 1rem}
.choice input{width:1.6rem;height:1.6rem;margin:.1rem 0 0;accent-color:#0b4f8a}
.choice label{margin:0}
.choice .hint{grid-column:2}
button{font:inherit;font-weight:700;background:#0b5e2e;color:#fff;border:0;border-bottom:3px solid #043d1c;padding:.65rem 1.25rem;cursor:pointer;min-height:2.75rem}
button:hover{background:#084a24}
button.secondary{background:#fff;color:#0b5e2e;border:2px solid #0b5e2e;border-bottom-width:3px}
button.secondary:hover{background:#eef6f0;color:#043d1c}
.actions{display:flex;flex-wrap:wrap;gap:1rem 1.5rem;align-items:center}
.step{color:#454545;font-weight:700;margin:0}
button:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px;background:#ffd43b;color:#1a1a1a}
.error-summary{border:4px solid #a4001d;padding:1rem 1.25rem;margin:0 0 2rem}
.error-summary:focus{outline:3px solid #0b4f8a;outline-offset:2px}
.error-summary h2{margin-top:0;font-size:1.3rem}
.error-summary ul{padding-left:1.25rem}
.error-summary a{color:#a4001d;font-weight:700}
.notice{border-left:6px solid #0b4f8a;background:#eef4fa;padding:1rem 1.25rem;margin:0 0 1.5rem}
.notice.warning{border-left-color:#8a5a00;background:#fdf6e3}
.panel{border:3px solid #0b5e2e;padding:1.25rem;margin:0 0 2rem}
.panel h1{margin-top:0}
dl.facts{display:grid;grid-template-columns:minmax(9rem,max-content) 1fr;gap:.35rem 1.5rem}
dl.facts dt{font-weight:700}
dl.facts dd{margin:0}
.code{font-family:"DejaVu Sans Mono",Consolas,monospace;font-size:1.6rem;font-weight:700;letter-spacing:.08em;background:#f3f3f3;border:2px dashed #1a1a1a;padding:.4rem .8rem;display:inline-block;margin:0 0 1rem}
.info-list dt{font-weight:700;margin-top:.75rem}
.info-list dd{margin:0 0 .5rem}
footer.site{padding-bottom:2rem;color:#454545;font-size:1rem}
footer.site p{border-top:1px solid #767676;padding-top:1rem}
.visually-hidden{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.account{background:#eef4fa;color:#1a1a1a;border-bottom:1px solid #767676}
.account-bar{max-width:46rem;margin:0 auto;padding:.4rem 1rem;display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.25rem 1.25rem}
.account-bar p,.account-bar form{margin:0}
.account-bar button{font-size:1rem;line-height:1.2;min-height:2.25rem;padding:.3rem .8rem}
a.button{display:inline-block;font-weight:700;background:#0b5e2e;color:#fff;text-decoration:none;border-bottom:3px solid #043d1c;padding:.65rem 1.25rem;min-height:2.75rem}
a.button:hover{background:#084a24;color:#fff}
a.button:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px;background:#ffd43b;color:#1a1a1a}
.option{border:2px solid #b1b4b6;padding:1rem 1.25rem 1.25rem;margin:0 0 1.5rem}
.option h2{margin-top:.25rem}
.request-list{list-style:none;padding:0}
.request-list>li{border-top:1px solid #b1b4b6;padding:.5rem 0 .75rem}
.request-list h2{font-size:1.25rem;margin:.5rem 0}
@media (max-width:30rem){h1{font-size:1.6rem}dl.facts{grid-template-columns:1fr}}
@media print{header.site,footer.site,.skip,form{display:none}}
`;
