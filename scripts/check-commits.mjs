#!/usr/bin/env node
// Checks that commit subjects follow Conventional Commits (https://www.conventionalcommits.org).
// Plain Node, no dependencies, so CI can run it before `pnpm install`.
//
//   node scripts/check-commits.mjs                       every commit reachable from HEAD
//   node scripts/check-commits.mjs origin/main..HEAD     only the commits of a branch / PR
//   node scripts/check-commits.mjs --message-file F      one message (a commit-msg hook)
//
// Exit codes: 0 all good, 1 at least one subject breaks the rules, 2 usage or git error.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TYPES = {
  feat: 'a new feature',
  fix: 'a bug fix',
  docs: 'documentation only',
  style: 'formatting, no code change',
  refactor: 'a code change that neither fixes a bug nor adds a feature',
  perf: 'a performance improvement',
  test: 'adding or fixing tests',
  build: 'the build system or dependencies',
  ci: 'CI configuration and scripts',
  chore: 'anything else that does not touch src or tests',
  revert: 'reverts an earlier commit',
};

// type(scope)!: subject   — scope optional (kebab-case, comma-separated), ! marks a breaking change.
const HEADER = /^(?<type>[a-z]+)(?:\((?<scope>[^()]*)\))?(?<breaking>!)?: (?<subject>.*)$/;
const SCOPE = /^[a-z0-9][a-z0-9-]*(,\s?[a-z0-9][a-z0-9-]*)*$/;
const WARN_LENGTH = 100;

/** Returns { errors: string[], warnings: string[] } for one commit subject. */
function checkSubject(subject, { hook = false } = {}) {
  const errors = [];
  const warnings = [];
  // What git itself writes for merges and reverts is accepted as it is.
  if (/^Merge (branch|pull request|remote-tracking branch|tag) /.test(subject))
    return { errors, warnings };
  if (/^Revert ".+"$/.test(subject)) return { errors, warnings };
  if (/^(fixup|squash|amend)! /.test(subject)) {
    // Why the hook lets them in: `git commit --fixup` during review is the workflow
    // CONTRIBUTING describes; what must not happen is merging them, which the range check
    // (CI, on the pull request) refuses.
    if (hook) {
      warnings.push(
        'a fixup!/squash! commit: fine during review; squash it before merging (git rebase -i --autosquash origin/main).',
      );
      return { errors, warnings };
    }
    errors.push(
      'a fixup!/squash! commit: squash it into its target before merging (git rebase -i --autosquash).',
    );
    return { errors, warnings };
  }
  const match = HEADER.exec(subject);
  if (!match?.groups) {
    errors.push('expected "<type>(<scope>): <subject>", e.g. "feat(basics): add the DNS lesson".');
    return { errors, warnings };
  }
  const { type, scope, subject: text } = match.groups;
  if (!Object.hasOwn(TYPES, type)) {
    errors.push(`unknown type "${type}"; use one of ${Object.keys(TYPES).join(', ')}.`);
  }
  if (scope !== undefined && !SCOPE.test(scope)) {
    errors.push(`scope "${scope}" should be kebab-case, e.g. a package name such as "rest-api".`);
  }
  if (text.trim() === '') errors.push('the description after ": " is empty.');
  else if (text !== text.trimStart()) errors.push('exactly one space after ":".');
  else if (text.endsWith('.')) errors.push('the description does not end with a period.');
  if (subject.length > WARN_LENGTH) {
    warnings.push(
      `subject is ${subject.length} characters; aim for 72 or fewer (details go in the body).`,
    );
  }
  return { errors, warnings };
}

function git(args) {
  return execFileSync('git', args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** [{ hash, subject, parents }] for a revision range (default: all of HEAD). */
function commitsIn(range) {
  const out = git(['log', '--format=%H%x00%P%x00%s%x1e', range]);
  return out
    .split('\x1e')
    .map((record) => record.trim())
    .filter(Boolean)
    .map((record) => {
      const [hash, parents, subject] = record.split('\x00');
      return { hash, subject, parents: parents ? parents.split(' ') : [] };
    });
}

const USAGE = `Usage: node scripts/check-commits.mjs [<revision range>] | --message-file <file> | --help

Checks commit subjects against Conventional Commits: "<type>(<scope>)!: <description>".
Types: ${Object.keys(TYPES).join(', ')}.
Without a range, every commit reachable from HEAD is checked; in CI pass the PR's range,
e.g. origin/main..HEAD. Merge commits are skipped. See CONTRIBUTING.md.`;

function main(argv) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const fileIndex = argv.indexOf('--message-file');
  let commits;
  if (fileIndex !== -1) {
    const file = argv[fileIndex + 1];
    if (!file) {
      console.error('error: --message-file needs a path.\n\n' + USAGE);
      return 2;
    }
    // The first line that is not a git comment is the subject.
    const subject = readFileSync(file, 'utf8')
      .split('\n')
      .find((line) => line.trim() !== '' && !line.startsWith('#'));
    commits = [{ hash: 'message', subject: subject ?? '', parents: [] }];
  } else {
    if (argv.length > 1) {
      console.error(
        `error: expected at most one revision range, got: ${argv.join(' ')}\n\n${USAGE}`,
      );
      return 2;
    }
    const range = argv[0] ?? 'HEAD';
    try {
      commits = commitsIn(range);
    } catch (error) {
      const detail = String(error.stderr || error.message)
        .trim()
        .split('\n')[0];
      console.error(`error: git could not list the commits of "${range}": ${detail}`);
      return 2;
    }
  }

  let failed = 0;
  let checked = 0;
  for (const commit of commits) {
    if (commit.parents.length > 1) continue; // merge commits are written by the tool, not by us
    checked++;
    const { errors, warnings } = checkSubject(commit.subject, { hook: fileIndex !== -1 });
    const label = `${commit.hash.slice(0, 7)} ${JSON.stringify(commit.subject)}`;
    if (errors.length > 0) {
      failed++;
      console.error(`✗ ${label}\n${errors.map((e) => `    ${e}`).join('\n')}`);
    }
    for (const warning of warnings) console.warn(`! ${commit.hash.slice(0, 7)} ${warning}`);
  }
  if (failed > 0 && fileIndex !== -1) {
    // The hook runs before the commit exists: there is nothing to rebase yet.
    console.error(
      '\nNothing was committed: fix the subject and commit again (git commit -e -F .git/COMMIT_EDITMSG reopens your message). See CONTRIBUTING.md.',
    );
    return 1;
  }
  if (failed > 0) {
    console.error(
      `\n${failed} of ${checked} commit subject(s) do not follow Conventional Commits ` +
        '(https://www.conventionalcommits.org/en/v1.0.0/). Reword them with `git rebase -i` — see CONTRIBUTING.md.',
    );
    return 1;
  }
  console.log(`✓ ${checked} commit subject(s) follow Conventional Commits.`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
