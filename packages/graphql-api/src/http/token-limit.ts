import { Lexer, Source, TokenKind } from 'graphql';
import type { RequestHandler } from 'express';

/**
 * Refuses a document with more than `max` lexical tokens before anything parses it into a
 * tree (a parser's work and memory grow with the tokens). Why here and not GraphQL Armor's
 * maxTokens: its Apollo plugin throws inside Apollo's parsing hook, which Apollo answers with
 * a 500; a limit must answer 400 like any other rejected document.
 */
export function tokenLimit(max: number): RequestHandler {
  return (req, res, next) => {
    const body = req.body as { query?: unknown } | undefined;
    const query = req.method === 'GET' ? req.query.query : body?.query;
    if (typeof query !== 'string' || countTokens(query, max) <= max) {
      next();
      return;
    }
    res
      .status(400)
      .type('application/json')
      .send(
        JSON.stringify({
          errors: [
            {
              message: `Syntax Error: Token limit of ${max} exceeded.`,
              extensions: { code: 'GRAPHQL_PARSE_FAILED' },
            },
          ],
        }),
      );
  };
}

/** Tokens up to `max + 1` (no need to read further); a lexing error stops the count early. */
function countTokens(query: string, max: number): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (count <= max && lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch {
    // A syntax error: Apollo's own parser reports it properly.
  }
  return count;
}
