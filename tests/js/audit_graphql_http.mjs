// Runs the GraphQL-over-HTTP specification's public audit (graphql-http's auditServer) against
// the URL given as the first argument and prints each result as a JSON line for the Python test.
import { auditServer } from "graphql-http";

const url = process.argv[2];
const results = await auditServer({ url });
for (const result of results) {
  const line = { id: result.id, name: result.name, status: result.status };
  if (result.status !== "ok") line.reason = result.reason;
  console.log(JSON.stringify(line));
}
