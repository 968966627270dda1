import { type MongoDb } from '../../mongo/connection';

/**
 * `explain('executionStats')` before and after an index. Without one, MongoDB reads every
 * document (COLLSCAN: docs examined = collection size) to return a few; with one it walks the
 * index to the matching keys (IXSCAN) and fetches only those documents.
 *
 * It works on a scratch copy of the articles (`lesson_explain_articles`) so that dropping the
 * index never touches the real collection.
 */
export interface PlanSummary {
  stages: string[];
  docsExamined: number;
  keysExamined: number;
  returned: number;
}

interface Explained {
  queryPlanner: { winningPlan: PlanNode };
  executionStats: { totalDocsExamined: number; totalKeysExamined: number; nReturned: number };
}

interface PlanNode {
  stage?: string;
  inputStage?: PlanNode;
  inputStages?: PlanNode[];
  // MongoDB 7 with the slot-based engine nests the classic plan under queryPlan.
  queryPlan?: PlanNode;
}

/** Every stage name in the winning plan, outermost first: ["FETCH", "IXSCAN"]. */
export function planStages(node: PlanNode | undefined): string[] {
  if (!node) return [];
  const own = node.stage ? [node.stage] : [];
  return [
    ...own,
    ...planStages(node.queryPlan),
    ...planStages(node.inputStage),
    ...(node.inputStages ?? []).flatMap(planStages),
  ];
}

export function summarize(explained: Explained): PlanSummary {
  return {
    stages: planStages(explained.queryPlanner.winningPlan),
    docsExamined: explained.executionStats.totalDocsExamined,
    keysExamined: explained.executionStats.totalKeysExamined,
    returned: explained.executionStats.nReturned,
  };
}

export async function explainBeforeAfterIndex(
  db: MongoDb,
  tag: string,
): Promise<{ documents: number; before: PlanSummary; after: PlanSummary }> {
  const scratch = db.conn.collection('lesson_explain_articles');
  await scratch.drop().catch(() => undefined);
  const docs = await db.Article.find({}, { slug: 1, tagList: 1, createdAt: 1 }).lean();
  if (docs.length > 0) await scratch.insertMany(docs);
  const query = { tagList: tag };

  const before = summarize(
    (await scratch
      .find(query)
      .sort({ createdAt: -1 })
      .limit(20)
      .explain('executionStats')) as unknown as Explained,
  );
  await scratch.createIndex({ tagList: 1, createdAt: -1 }, { name: 'tags_created_at' });
  const after = summarize(
    (await scratch
      .find(query)
      .sort({ createdAt: -1 })
      .limit(20)
      .explain('executionStats')) as unknown as Explained,
  );
  await scratch.drop();
  return { documents: docs.length, before, after };
}
