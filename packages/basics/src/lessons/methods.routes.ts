import { HttpError } from '../http/http-error';
import { readJson } from '../http/body';
import { sendEmpty, sendJson } from '../http/respond';
import { type Router } from '../http/router';
import { type Settings } from '../settings';

/**
 * Lesson: HTTP methods and idempotency, on a tiny in-memory "notes" collection.
 *
 * - GET/HEAD read and change nothing (safe).
 * - PUT and DELETE are idempotent: sending the same request twice leaves the server in the
 *   same state as sending it once, so a client may retry them after a network error.
 * - POST is neither: every POST creates another note — retrying it can duplicate data.
 * - PATCH changes part of a resource; it is idempotent only if the patch is.
 */
interface Note {
  id: string;
  text: string;
  updatedAt: string;
}

const MAX_NOTES = 100;
const ID_PATTERN = /^[a-z0-9-]{1,40}$/;

export function registerMethodRoutes(router: Router, settings: Settings): void {
  const notes = new Map<string, Note>();
  let nextId = 1;

  const save = (id: string, text: string): Note => {
    const note = { id, text, updatedAt: new Date().toISOString() };
    notes.set(id, note);
    return note;
  };
  const assertRoom = () => {
    // Why: memory is a resource too; an unbounded map is a denial-of-service waiting to happen.
    if (notes.size >= MAX_NOTES) {
      throw new HttpError(
        507,
        'notes',
        `The notes store is full (${MAX_NOTES}); DELETE some first.`,
      );
    }
  };

  router.on('GET', '/methods/notes', ({ res }) =>
    sendJson(res, 200, { notes: [...notes.values()] }),
  );

  // POST: the server picks the id and says where the new note lives (Location).
  router.on('POST', '/methods/notes', async ({ req, res }) => {
    const { text } = parseNote(await readJson(req, settings.maxBodyBytes));
    assertRoom();
    let id = String(nextId++);
    while (notes.has(id)) id = String(nextId++); // a PUT may already have taken this id
    const note = save(id, text);
    sendJson(res, 201, { note }, { Location: `/methods/notes/${note.id}` });
  });

  router.on('GET', '/methods/notes/:id', ({ res, params }) => {
    sendJson(res, 200, { note: find(notes, params.id) });
  });

  // PUT: the client picks the id and sends the whole resource. 201 if it was created, 200 if
  // it was replaced — and the state after one PUT or ten identical PUTs is the same.
  router.on('PUT', '/methods/notes/:id', async ({ req, res, params }) => {
    const id = params.id ?? '';
    if (!ID_PATTERN.test(id)) {
      throw new HttpError(400, 'id', 'A note id is 1–40 characters of a–z, 0–9 and "-".');
    }
    const { text } = parseNote(await readJson(req, settings.maxBodyBytes));
    const existed = notes.has(id);
    if (!existed) assertRoom();
    const note = save(id, text);
    sendJson(
      res,
      existed ? 200 : 201,
      { note },
      existed ? {} : { Location: `/methods/notes/${id}` },
    );
  });

  // PATCH: only the fields sent change. Here a note has one field, so PATCH looks like PUT,
  // with one difference: it never creates — patching nothing is a 404.
  router.on('PATCH', '/methods/notes/:id', async ({ req, res, params }) => {
    const current = find(notes, params.id);
    const { text } = parseNote(await readJson(req, settings.maxBodyBytes));
    sendJson(res, 200, { note: save(current.id, text) });
  });

  // DELETE: 204 the first time, 404 after — but the *state* (no such note) is the same,
  // which is what idempotent means.
  router.on('DELETE', '/methods/notes/:id', ({ res, params }) => {
    const note = find(notes, params.id);
    notes.delete(note.id);
    sendEmpty(res, 204);
  });
}

function find(notes: Map<string, Note>, id: string | undefined): Note {
  const note = id === undefined ? undefined : notes.get(id);
  if (!note) throw new HttpError(404, 'note', `There is no note with id "${id}".`);
  return note;
}

function parseNote(body: unknown): { text: string } {
  const text =
    typeof body === 'object' && body !== null ? (body as { text?: unknown }).text : undefined;
  if (typeof text !== 'string' || text.trim().length === 0 || text.length > 500) {
    // 422: the JSON is fine (not a 400), but its content breaks a rule of this resource.
    throw new HttpError(422, 'text', 'must be a string of 1 to 500 characters');
  }
  return { text };
}
