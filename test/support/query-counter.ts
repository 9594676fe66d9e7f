import type { DataSource, EntitySubscriberInterface } from "typeorm";

/**
 * Counts the SQL statements a data source runs while `work` runs (TypeORM's beforeQuery hook).
 * Tests that measure one request at a time run nothing else concurrently on the service.
 */
export async function countQueries<T>(dataSource: DataSource, work: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
  const queries: string[] = [];
  const subscriber: EntitySubscriberInterface = {
    beforeQuery(event) {
      queries.push(event.query);
    },
  };
  dataSource.subscribers.push(subscriber);
  try {
    const result = await work();
    return { result, queries };
  } finally {
    dataSource.subscribers.splice(dataSource.subscribers.indexOf(subscriber), 1);
  }
}
