/**
 * The feed's timestamps: `YYYYMMDDhhmmss` (a number or a string) in Italian local time. Turned into ISO
 * instants with their offset ("2018-10-10T13:09:32+02:00"), the form the results model stores.
 */

const offsetFormat = new Intl.DateTimeFormat("en-US", { timeZone: "Europe/Rome", timeZoneName: "longOffset" });

/** Offsets by UTC hour: Italy's clock changes on the hour, and formatting one costs tens of microseconds. */
const offsetByHour = new Map<number, number>();

/** Minutes east of UTC in Italy at this instant (60 in winter, 120 in summer). */
function romeOffsetMinutes(utcMs: number): number {
  const hour = Math.floor(utcMs / 3_600_000);
  const cached = offsetByHour.get(hour);
  if (cached !== undefined) return cached;
  const name = offsetFormat.formatToParts(new Date(hour * 3_600_000)).find((p) => p.type === "timeZoneName")?.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? "");
  const offset = m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  if (offsetByHour.size > 10_000) offsetByHour.clear();
  offsetByHour.set(hour, offset);
  return offset;
}

const two = (n: number) => String(n).padStart(2, "0");

/** Local Italian wall-clock time → ISO instant with its offset. */
export function romeInstant(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): string {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  // The offset at the wall time read as UTC is right except within the hours of a clock change;
  // a second look at the resulting instant settles those.
  let offset = romeOffsetMinutes(wall - romeOffsetMinutes(wall) * 60_000);
  const check = romeOffsetMinutes(wall - offset * 60_000);
  if (check !== offset) offset = check;
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/** The parts of a `YYYYMMDDhhmmss` stamp, or undefined when it is not a real date and time. */
export function stampParts(raw: string | number): [number, number, number, number, number, number] | undefined {
  const s = String(raw).trim();
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, sec] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const probe = new Date(Date.UTC(y, mo - 1, d, h, mi, sec));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return undefined;
  if (h > 23 || mi > 59 || sec > 59) return undefined;
  return [y, mo, d, h, mi, sec];
}

/** `20181010130932` → "2018-10-10T13:09:32+02:00"; undefined when malformed. */
export function stampToIso(raw: string | number): string | undefined {
  const p = stampParts(raw);
  return p ? romeInstant(...p) : undefined;
}

/** `20180610000000` → "2018-06-10" (the day of a stamp, for election dates). */
export function stampToDate(raw: string | number): string | undefined {
  const p = stampParts(raw);
  return p ? `${p[0]}-${two(p[1])}-${two(p[2])}` : undefined;
}

/** "HH:MM" of an ISO instant with offset, as written (the local time it carries). */
export function clockOf(iso: string): string {
  return iso.slice(11, 16);
}
