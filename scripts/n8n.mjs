// `npm start`, `npm run e2e` and `node scripts/n8n.mjs install`: real n8n with this package, the Kling emulator and
// the examples. The runner itself is test/support/realN8n.mjs, which the e2e checks and the benchmarks share.
import { main } from '../test/support/realN8n.mjs';

main().catch((error) => {
	console.error(`[kling] ${error.message}`);
	process.exit(1);
});
