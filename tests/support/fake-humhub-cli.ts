/**
 * `npm run humhub:fake`: the fake HumHub on a fixed port, for trying Tandem's HumHub features
 * without a real HumHub. State lives in memory and is gone when it stops (Ctrl-C).
 *
 * HUMHUB_FAKE_PORT (default 8090) picks the port; FAULT_RATE (0..1) makes that share of API requests
 * fail in every way the fake knows, to see how Tandem copes.
 */
import { startFakeHumhub, type FaultKind } from "./fake-humhub";

const port = Number(process.env.HUMHUB_FAKE_PORT ?? 8090);
const faultRate = process.env.FAULT_RATE === undefined ? 0 : Number(process.env.FAULT_RATE);
if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`HUMHUB_FAKE_PORT must be a port number, not ${process.env.HUMHUB_FAKE_PORT}`);
if (!(faultRate >= 0 && faultRate <= 1)) throw new Error(`FAULT_RATE must be between 0 and 1, not ${process.env.FAULT_RATE}`);

const fake = await startFakeHumhub({ port });
const allFaults: FaultKind[] = ["500", "429", "slow", "dropAfterActing", "dropBeforeActing"];
if (faultRate > 0) fake.setFaults({ rate: faultRate, kinds: allFaults });

const baseUrl = fake.url.replace(/\/api\/v1$/, "");
console.log(`Fake HumHub API listening on ${fake.url}`);
console.log(`  token (Tandem's account, no admin rights): ${fake.token}`);
console.log(`  admin token (user lookup, custom notifications): ${fake.adminToken}`);
console.log(`  spaces: ${fake.spaces.map((space) => `${space.name} (contentcontainer_id ${space.contentcontainerId})`).join(", ")}`);
if (faultRate > 0) console.log(`  faults: ${faultRate * 100}% of API requests (${allFaults.join(", ")})`);
console.log("\nPut these lines in .env:");
console.log(`HUMHUB_BASE_URL=${baseUrl}`);
console.log(`HUMHUB_API_TOKEN=${fake.token}`);
console.log("\nCtrl-C stops it.");

process.once("SIGINT", () => {
  void fake.close().then(() => process.exit(0));
});
