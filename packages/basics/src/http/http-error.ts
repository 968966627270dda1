/**
 * One error type for the whole server. A route throws `HttpError`; the dispatcher in
 * ../server.ts turns it into a response. Anything else that is thrown becomes a 500 whose
 * details stay in the log, never in the response.
 *
 * The body has the same shape as the rest of the project (the RealWorld contract):
 * `{"errors":{"<field>":["<message>"]}}` — so a client needs one error parser, not one per stage.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly field: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toBody(): ErrorBody {
    return errorBody(this.field, this.message);
  }
}

export interface ErrorBody {
  errors: Record<string, string[]>;
}

export function errorBody(field: string, message: string): ErrorBody {
  return { errors: { [field]: [message] } };
}
