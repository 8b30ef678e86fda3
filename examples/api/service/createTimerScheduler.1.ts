// Example 1 of the TSDoc in src/service/createTimerScheduler.ts, generated from it (scripts/tsdocExamples.ts): edit it there, not here.
import { createTimerScheduler } from 'agent-presence/service';
const scheduler = createTimerScheduler();
const fired = new Promise<string>((resolve) => scheduler.set('agent-7', Date.now() + 5, () => resolve('tick')));
console.log(scheduler.size); // 1
// The scheduler's timers do not keep a process alive (they are unref'd); this one keeps it up for the wait.
const keepAlive = setTimeout(() => {}, 1_000);
console.log(await fired, scheduler.size); // tick 0
clearTimeout(keepAlive);
export {};
