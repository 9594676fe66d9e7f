import type { DataSource, EntityMetadata, ObjectLiteral } from "typeorm";

type EntityClass<T> = new () => T;

interface Plan {
  select: string;
  columns: EntityMetadata["columns"];
}

const plans = new WeakMap<DataSource, Map<Function, Plan>>();

function planOf(dataSource: DataSource, entity: Function): Plan {
  let byEntity = plans.get(dataSource);
  if (!byEntity) plans.set(dataSource, (byEntity = new Map()));
  let plan = byEntity.get(entity);
  if (!plan) {
    const metadata = dataSource.getMetadata(entity);
    const columns = metadata.columns.filter((c) => !c.isVirtual);
    const list = columns.map((c) => `${dataSource.driver.escape(c.databaseName)} AS ${dataSource.driver.escape(c.propertyName)}`).join(", ");
    plan = { select: `SELECT ${list} FROM ${dataSource.driver.escape(metadata.tableName)}`, columns };
    byEntity.set(entity, plan);
  }
  return plan;
}

/**
 * Entities whose `column` is one of `values`, in `orderBy` order: one raw statement through the
 * data source (so deadlines, logging and query counting apply as to any TypeORM query), hydrated
 * with the driver's own conversions (dates, flags) into instances of the entity class.
 *
 * Why not `find`: on the per-request loaders of big lists, the query builder and its generic
 * hydration cost about twice this (STACK.md); the rows are the same.
 */
export async function selectEntitiesIn<T extends ObjectLiteral>(
  dataSource: DataSource,
  entity: EntityClass<T>,
  column: string,
  values: readonly unknown[],
  options: { where?: { sql: string; params: unknown[] }; orderBy?: string } = {},
): Promise<T[]> {
  if (values.length === 0) return [];
  const plan = planOf(dataSource, entity);
  const placeholders = values.map(() => "?").join(", ");
  const where = options.where ? ` AND ${options.where.sql}` : "";
  const sql = `${plan.select} WHERE ${dataSource.driver.escape(column)} IN (${placeholders})${where}${options.orderBy ? ` ORDER BY ${options.orderBy}` : ""}`;
  const rows = (await dataSource.query(sql, [...values, ...(options.where?.params ?? [])])) as Array<Record<string, unknown>>;
  const driver = dataSource.driver;
  return rows.map((row) => {
    const instance = new entity() as Record<string, unknown>;
    for (const column of plan.columns) instance[column.propertyName] = driver.prepareHydratedValue(row[column.propertyName], column);
    return instance as T;
  });
}
