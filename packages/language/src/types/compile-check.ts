import path from 'node:path';
import ts from 'typescript';

export interface Expectation {
  /** 1-based line that must not compile. */
  line: number;
  /** The error it must fail with, as named in its `@ts-expect-error TS<code> …` comment. */
  expectedCode: number;
  reason: string;
  /** What the compiler reports on that line once the directive is removed. */
  actual: Array<{ code: number; message: string }>;
}

export interface CompileCheck {
  expectations: Expectation[];
  /** Errors on lines nobody marked: the file itself must otherwise compile. */
  unexpected: Array<{ line: number; code: number; message: string }>;
}

const DIRECTIVE = /\/\/ @ts-expect-error TS(\d+) (.*)$/;

/**
 * Compiles `file` with its `@ts-expect-error` directives removed, using the compiler API on the
 * given tsconfig, and reports each marked line's actual errors. `tsc` alone proves that every
 * marked line fails; this proves that it fails for the reason its comment gives.
 */
export function checkExpectedErrors(file: string, tsconfigFile: string): CompileCheck {
  const config = ts.getParsedCommandLineOfConfigFile(
    tsconfigFile,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error(`cannot read ${tsconfigFile}`);
  const target = path.resolve(file);
  const lines = ts.sys.readFile(target)?.split('\n') ?? [];
  const expectations: Expectation[] = [];
  const stripped = lines.map((text, index) => {
    const match = DIRECTIVE.exec(text);
    if (!match) return text;
    expectations.push({
      line: index + 2,
      expectedCode: Number(match[1]),
      reason: match[2]!,
      actual: [],
    });
    return text.replace('@ts-expect-error', 'was:');
  });

  const host = ts.createCompilerHost(config.options);
  const readSource = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) =>
    path.resolve(fileName) === target
      ? ts.createSourceFile(fileName, stripped.join('\n'), languageVersion, true)
      : readSource(fileName, languageVersion, onError, shouldCreate);
  const program = ts.createProgram([target], config.options, host);

  const unexpected: CompileCheck['unexpected'] = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    if (!diagnostic.file || path.resolve(diagnostic.file.fileName) !== target) continue;
    const line = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1;
    const found = {
      code: diagnostic.code,
      message: ts.flattenDiagnosticMessageText(diagnostic.messageText, ' '),
    };
    const expectation = expectations.find((e) => e.line === line);
    if (expectation) expectation.actual.push(found);
    else unexpected.push({ line, ...found });
  }
  return { expectations, unexpected };
}
