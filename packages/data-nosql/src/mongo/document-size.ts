import mongoose from 'mongoose';
import { tooLarge } from './errors';

/**
 * Refuses a document larger than `maxBytes` of BSON before it is sent. MongoDB's own ceiling
 * is 16 MiB per document; a lower limit of our own (MAX_DOCUMENT_BYTES, 1 MiB by default)
 * keeps every read of a document cheap and turns an oversized body into a clear 422.
 */
export function assertDocumentSize(doc: object, maxBytes: number): void {
  const bytes = mongoose.mongo.BSON.calculateObjectSize(doc);
  if (bytes > maxBytes) throw tooLarge();
}
