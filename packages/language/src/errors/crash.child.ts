// What happens after an uncaught exception, three ways. Prints what it sees on stdout.
//   no-handler       the default: stack trace on stderr, exit code 1
//   log-and-exit     the right handler: log, then exit 1 (a supervisor restarts the process)
//   swallow          the wrong one: log and carry on, with state a half-run function left behind
const scenario = process.argv[2];

// Two accounts; a transfer debits one and credits the other. Money is never created or lost…
const balances = { alice: 100, bob: 100 };
const total = () => balances.alice + balances.bob;

function transfer(from: 'alice' | 'bob', to: 'alice' | 'bob', amount: number, buggy: boolean) {
  balances[from] -= amount;
  // …unless a bug throws between the two steps.
  if (buggy) throw new TypeError("Cannot read properties of undefined (reading 'rate')");
  balances[to] += amount;
}

if (scenario === 'log-and-exit') {
  process.on('uncaughtException', (err, origin) => {
    // Synchronous writes only: the process is about to end and will not flush async ones.
    console.log(`handler: ${origin}: ${err.message}; exiting with 1`);
    process.exit(1);
  });
} else if (scenario === 'swallow') {
  process.on('uncaughtException', (err) => console.log(`handler: ignored "${err.message}"`));
} else if (scenario !== 'no-handler') {
  throw new Error('usage: crash.child <no-handler|log-and-exit|swallow>');
}

console.log(`before: total ${total()}`);
setTimeout(() => transfer('alice', 'bob', 50, true), 10);
setTimeout(() => {
  transfer('bob', 'alice', 10, false);
  console.log(
    `still serving 50 ms later: total ${total()} (alice ${balances.alice}, bob ${balances.bob})`,
  );
}, 50);
