import { regionCodes, type RegionCode } from "~db/schema";

/**
 * Approximate geographic centres of the German federal states. Tandem only knows a state, not an
 * address, so distances between states are centre to centre and two people in the same state count
 * as 0 km apart; "outside" has no location, so it is never within anyone's travel range.
 */
const stateCentres: Record<Exclude<RegionCode, "outside">, [latitude: number, longitude: number]> = {
  "DE-BW": [48.66, 9.35],
  "DE-BY": [48.95, 11.4],
  "DE-BE": [52.52, 13.4],
  "DE-BB": [52.36, 13.01],
  "DE-HB": [53.08, 8.8],
  "DE-HH": [53.55, 10.0],
  "DE-HE": [50.65, 9.16],
  "DE-MV": [53.61, 12.43],
  "DE-NI": [52.64, 9.85],
  "DE-NW": [51.43, 7.66],
  "DE-RP": [49.91, 7.45],
  "DE-SL": [49.38, 6.95],
  "DE-SN": [51.05, 13.36],
  "DE-ST": [51.95, 11.69],
  "DE-SH": [54.22, 9.7],
  "DE-TH": [50.9, 11.03],
};

const EARTH_RADIUS_KM = 6371;

function greatCircleKm([latitudeA, longitudeA]: [number, number], [latitudeB, longitudeB]: [number, number]) {
  const radians = Math.PI / 180;
  const deltaLatitude = (latitudeB - latitudeA) * radians;
  const deltaLongitude = (longitudeB - longitudeA) * radians;
  const haversine =
    Math.sin(deltaLatitude / 2) ** 2 +
    Math.cos(latitudeA * radians) * Math.cos(latitudeB * radians) * Math.sin(deltaLongitude / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(haversine));
}

/** Kilometres between two regions, by index into `regionCodes`; Infinity when either has no location. */
export function regionDistanceKm(first: RegionCode, second: RegionCode): number {
  if (first === "outside" || second === "outside") return Number.POSITIVE_INFINITY;
  if (first === second) return 0;
  return Math.round(greatCircleKm(stateCentres[first], stateCentres[second]));
}

/** Every pair's distance, row-major by index into `regionCodes`, so the scoring loop only reads an array. */
export const regionDistanceTable: Float64Array = (() => {
  const table = new Float64Array(regionCodes.length * regionCodes.length);
  regionCodes.forEach((first, row) =>
    regionCodes.forEach((second, column) => {
      table[row * regionCodes.length + column] = regionDistanceKm(first, second);
    }),
  );
  return table;
})();
