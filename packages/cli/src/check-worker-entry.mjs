// Worker threads do not inherit the main thread's module hooks: register the TypeScript loader
// here, then load the TypeScript worker. (Plain JS so that Node can start it without any loader.)
import '../bin/register-typescript.mjs';

await import('./check-worker.ts');
