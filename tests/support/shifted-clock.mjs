/**
 * A Node preload (`NODE_OPTIONS="--import /abs/path/tests/support/shifted-clock.mjs"`) that moves the process's
 * wall clock: with TANDEM_TEST_CLOCK set to an ISO instant, `Date.now()` and `new Date()` (no arguments) return
 * that instant plus the real time elapsed since start-up. Everything else stays as it was: `new Date(x)`,
 * `Date.UTC`, `Date.parse`, the prototype (so `instanceof Date` holds for dates made before and after), and the
 * monotonic clocks (`performance.now`, `process.hrtime`) that timers use.
 *
 * Why: free session times exist only in a 4-week horizon from "now", and whether that horizon contains a
 * daylight-saving change depends on the day the tests run. Starting the app server at a fixed instant before
 * the US (14 March 2027) and EU (28 March 2027) changes lets a browser test book, move and cancel sessions
 * across both, whatever the machine's date. The server's clock is the only one the rules read.
 */
const shiftedTo = process.env.TANDEM_TEST_CLOCK;

if (shiftedTo) {
  const RealDate = globalThis.Date;
  const target = RealDate.parse(shiftedTo);
  if (Number.isNaN(target)) throw new Error(`TANDEM_TEST_CLOCK is not an ISO instant: ${shiftedTo}`);
  const offset = target - RealDate.now();
  const shiftedNow = () => RealDate.now() + offset;

  // A function rather than `class extends Date`: it shares Date's prototype, so dates created before the swap
  // (or by code holding the original constructor) still pass `instanceof Date`, and `Date()` called without
  // `new` still returns a string, as the real one does.
  function ShiftedDate(...args) {
    if (!new.target) return new RealDate(shiftedNow()).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [shiftedNow()] : args, new.target);
  }
  Object.setPrototypeOf(ShiftedDate, RealDate); // Date.UTC, Date.parse and friends, unchanged.
  Object.defineProperty(ShiftedDate, "prototype", { value: RealDate.prototype, writable: false });
  Object.defineProperty(ShiftedDate, "now", { value: shiftedNow, writable: true, configurable: true });
  Object.defineProperty(ShiftedDate, "name", { value: "Date" });
  Object.defineProperty(ShiftedDate, "length", { value: 7 });
  globalThis.Date = ShiftedDate;
}
