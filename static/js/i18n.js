/* One home for the words and numbers the browser shows in the page's language.
 *
 * A message is a Vietnamese msgid, as in the templates and Python: `_("Đã lưu %(name)s",
 * { name })`, with the same named placeholders, so one msgid serves both sides and sits in
 * the one catalogue (`make catalogue` extracts static/js too). The page's language is its
 * `<html lang>`, set by the server; for a language other than Vietnamese the base template
 * embeds that language's messages of static/js (static/i18n/<lang>.json, compiled from the
 * .po by `make catalogue`) as `<script type="application/json" id="catalogue">`: no extra
 * request, and a phone page cached for offline use carries its words with it. */

import { readJson } from "./html.js";

const LANGUAGE = document.documentElement.lang || "vi";
const CATALOGUE = LANGUAGE === "vi" ? {} : readJson("catalogue");
const PLACEHOLDER = /%\((\w+)\)s|%%/g;
const plurals = new Intl.PluralRules(LANGUAGE);

/** The page's language (`vi`, `en`), for Intl and for the server's `lang` answers. */
export function language() {
  return LANGUAGE;
}

function fill(text, values) {
  return text.replace(PLACEHOLDER, (whole, name) => {
    if (name === undefined) return "%";
    const value = values ? values[name] : undefined;
    return value == null ? "" : String(value);
  });
}

/** `msgid` in the page's language with its `%(name)s` placeholders filled from `values`
 *  (a literal percent sign is `%%`, as in Python). The msgid itself when not translated. */
export function _(msgid, values) {
  const translated = CATALOGUE[msgid];
  return fill(typeof translated === "string" && translated ? translated : msgid, values);
}

/** The singular or plural message for `count` (`values` fill the placeholders; `count` is
 *  not one of them unless given). The catalogue holds a message's forms in the gettext
 *  order of its language, one then other, as English has: Vietnamese has one form. */
export function ngettext(singular, plural, count, values) {
  const forms = CATALOGUE[singular];
  const one = plurals.select(count) === "one";
  const text = Array.isArray(forms) && forms.every(Boolean) ? forms[one ? 0 : 1]
    : (one ? singular : plural);
  return fill(text, values);
}

/** A number for people: the page language's separators (1.234,5 / 1,234.5), `digits`
 *  decimals when given (else as many as it has, up to three); "" when missing. */
export function formatNumber(value, digits) {
  if (value == null || value === "" || Number.isNaN(Number(value))) return "";
  const options = digits == null ? {}
    : { minimumFractionDigits: digits, maximumFractionDigits: digits };
  return Number(value).toLocaleString(LANGUAGE, options);
}
