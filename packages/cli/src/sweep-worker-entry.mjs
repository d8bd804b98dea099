// Worker threads do not inherit the main thread's TypeScript loader: register tsx here, then load
// the TypeScript worker. (Plain JS so that Node can start it without any loader.)
import { register } from 'tsx/esm/api';

register();
await import('./sweep-worker.ts');
