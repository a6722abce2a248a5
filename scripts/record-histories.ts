/**
 * `npm run record-histories [-- scenario ...]`: re-records the replay corpus under
 * test/replay/histories from the current workflow code (see README, "Changing workflow code").
 */
import '../test/helpers/quiet-temporal';
import { recordHistories } from '../test/replay/record';

recordHistories(undefined, process.argv.slice(2))
  .then((files) => {
    for (const f of files) console.log(f);
    console.log(`${files.length} histories recorded`);
    process.exit(0);
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
