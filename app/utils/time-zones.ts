/** Every IANA time zone this runtime knows, with the default first so it is easy to find. */
export function listTimeZones(defaultZone = "Europe/Berlin") {
  const zones = Intl.supportedValuesOf("timeZone");
  return [defaultZone, ...zones.filter((zone) => zone !== defaultZone)];
}
