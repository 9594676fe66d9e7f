import "reflect-metadata";
import { DataSource } from "typeorm";
import { loadConfig } from "./src/config";
import { dataSourceOptions } from "./src/data-source";

/**
 * The data source for the TypeORM CLI (`npm run typeorm -- -d ormconfig.ts ...`): SQLite by
 * default, MariaDB when DATABASE_URL is set, exactly as the service would open it.
 */
export default new DataSource(dataSourceOptions(loadConfig().database));
