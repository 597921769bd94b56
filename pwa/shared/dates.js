// Every date and time both apps show, and the school year they ask about: one formatter.
// The officer app speaks the phone's own zone; the review screens show a record's time in the
// school's own offset, as the officer recorded it, and server times (UTC) in the viewer's zone.

const WHEN = new Intl.DateTimeFormat(undefined, {
  weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
});
const TIME = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const DAY = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const WEEK_DAY = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short" });
const LONG_DAY = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "long", year: "numeric" });
const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function pad(number) {
  return String(number).padStart(2, "0");
}

// --- the officer app (the phone's zone) ---

// "Mon, 30 Nov, 10:00", with the year when it is not this year: "Mon, 1 Mar 2027, 09:00".
const WHEN_WITH_YEAR = new Intl.DateTimeFormat(undefined, {
  weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
});

export function formatWhen(iso, today = new Date()) {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return "";
  return (moment.getFullYear() === today.getFullYear() ? WHEN : WHEN_WITH_YEAR).format(moment);
}

export function formatLastSync(iso) {
  if (!iso) return "never";
  const moment = new Date(iso);
  const today = new Date().toDateString() === moment.toDateString();
  return today ? TIME.format(moment) : `${DAY.format(moment)} ${TIME.format(moment)}`;
}

const CLOCK_TIME = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });

// How fresh something kept on the phone is: "as of 8:14 this morning", "as of yesterday, 16:10",
// "as of 27 Nov, 09:02" (My program, read offline from the last answer).
export function formatAsOf(iso, now = new Date()) {
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return "";
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (moment.toDateString() === now.toDateString()) {
    const part = moment.getHours() < 12 ? "this morning" : moment.getHours() < 18 ? "this afternoon" : "this evening";
    return `as of ${CLOCK_TIME.format(moment)} ${part}`;
  }
  if (moment.toDateString() === yesterday.toDateString()) return `as of yesterday, ${TIME.format(moment)}`;
  return `as of ${DAY.format(moment)}, ${TIME.format(moment)}`;
}

// The Monday (local, midnight) of the week holding this moment.
export function mondayOf(moment) {
  const day = new Date(moment.getFullYear(), moment.getMonth(), moment.getDate());
  day.setDate(day.getDate() - ((day.getDay() + 6) % 7));
  return day;
}

// "Mon 16 Nov"
export function formatWeekDay(moment) {
  return WEEK_DAY.format(moment);
}

// "16 Nov"
export function formatDay(moment) {
  return DAY.format(moment);
}

// "16 November 2026"
export function formatLongDay(moment) {
  return LONG_DAY.format(moment);
}

// A local date as the API writes dates: "2026-11-16".
export function isoDay(moment) {
  return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`;
}

// <input type="datetime-local"> speaks local wall-clock time without an offset.
export function toLocalInput(iso) {
  const moment = iso ? new Date(iso) : new Date();
  return `${isoDay(moment)}T${pad(moment.getHours())}:${pad(moment.getMinutes())}`;
}

// The record keeps the offset the officer was in, as PRODUCT.md asks.
export function fromLocalInput(value) {
  const moment = new Date(value);
  if (Number.isNaN(moment.getTime())) return null;
  const offset = -moment.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const hours = pad(Math.floor(Math.abs(offset) / 60));
  const minutes = pad(Math.abs(offset) % 60);
  return `${value.length === 16 ? `${value}:00` : value}${sign}${hours}:${minutes}`;
}

// --- the review screens ---

export function monthLabel(month, long = false) {
  const [year, number] = month.split("-").map(Number);
  const name = MONTH_NAMES[number - 1];
  return long ? `${name} ${year}` : name;
}

export function dateLabel(iso) {
  if (!iso) return "";
  const [year, month, day] = iso.slice(0, 10).split("-").map(Number);
  return `${day} ${MONTH_NAMES[month - 1]} ${year}`;
}

export function dateTimeLabel(iso) {
  if (!iso) return "";
  // The server keeps UTC; a time written without an offset is UTC, never the viewer's zone.
  const when = new Date(/T[\d:.]+$/.test(iso) ? `${iso}Z` : iso);
  if (Number.isNaN(when.getTime())) return iso;
  // The same shape as occurredLabel ("30 Nov 2026, 02:17"), in the viewer's zone: one format per table.
  return `${dateLabel(isoDay(when))}, ${pad(when.getHours())}:${pad(when.getMinutes())}`;
}

// An occurred_at as the officer recorded it, in the school's own offset (not the viewer's zone).
export function occurredLabel(iso) {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso || "");
  return match ? `${dateLabel(match[1])}, ${match[2]}` : dateTimeLabel(iso);
}

// --- school years (July to June) ---

// The school year (1 July to 30 June) holding this day: "2026-2027" from July 2026 to June 2027.
export function schoolYearOf(day) {
  const start = day.getMonth() >= 6 ? day.getFullYear() : day.getFullYear() - 1;
  return `${start}-${start + 1}`;
}

// The year the server says screens open on (sign-in and /api/me): in the summer break, the one
// that has just ended, whose reports are still the ones read.
let serverSchoolYear = null;

export function useSchoolYear(schoolYear) {
  serverSchoolYear = schoolYear || null;
}

export function currentSchoolYear(today = new Date()) {
  return serverSchoolYear ?? schoolYearOf(today);
}

export function schoolYears(today = new Date()) {
  const current = Number(currentSchoolYear(today).slice(0, 4));
  return [current + 1, current, current - 1, current - 2].map((start) => `${start}-${start + 1}`);
}
