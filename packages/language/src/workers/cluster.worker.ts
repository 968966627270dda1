// One process of the cluster: an ordinary HTTP server. `listen(0)` in a cluster worker asks
// the primary for the port, and every worker that asks for port 0 gets the same one.
import { createServer } from 'node:http';

createServer((_req, res) => res.end(String(process.pid))).listen(0, '127.0.0.1');
