#!/usr/bin/env node
// Azurite's queue service (the same arguments as node_modules/.bin/azurite-queue), with its garbage collection of
// deleted messages run every second instead of every minute.
//
// Why: Azurite 3.35.0's queue service keeps each message's body as an extent and removes the extents of deleted
// messages in a mark-and-sweep pass once a minute, one by one, each removal re-sorting a LokiJS index over all extents
// (docs/durable.md, "Azurite under the task hub"): the pass grows with the square of the messages deleted since the
// last one and holds the service's only thread meanwhile. Durable Task sends and deletes ~10 messages per flow, so
// under the load bench's 50 clients the queue service stopped answering for 3-10 s once a minute, and every flow step
// in flight waited (README, "Load").
// Swept every second the pass has a second's messages to remove, and no probe saw the service take longer than 0.3 s.
// Nothing else changes: the same service, the same sweep, only its interval. AZURITE_QUEUE_GC_INTERVAL_MS overrides it.
"use strict";

const constants = require("azurite/dist/src/queue/utils/constants");

if (typeof constants.DEFAULT_GC_INTERVAL_MS !== "number") {
  // A newer Azurite renamed or moved the setting: say so rather than run with the minute-long sweep unnoticed.
  console.error("azurite-queue.js: Azurite's queue GC interval (DEFAULT_GC_INTERVAL_MS) was not found; check the Azurite version");
  process.exit(1);
}

const interval = Number(process.env.AZURITE_QUEUE_GC_INTERVAL_MS || 1000);
if (!Number.isInteger(interval) || interval < 1) {
  console.error("azurite-queue.js: AZURITE_QUEUE_GC_INTERVAL_MS must be a positive number of milliseconds");
  process.exit(1);
}
// Read by QueueGCManager's constructor, which runs after this, when main builds the server.
constants.DEFAULT_GC_INTERVAL_MS = interval;

require("azurite/dist/src/queue/main");
