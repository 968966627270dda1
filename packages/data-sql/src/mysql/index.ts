// @roadmap/data-sql/mysql: the same schema and core queries on MySQL/MariaDB (a lesson in
// dialect differences; the apps run on PostgreSQL).
export * from './mysql.repository';
export { MYSQL_SCHEMA_UP, MYSQL_SCHEMA_DOWN } from './schema';
