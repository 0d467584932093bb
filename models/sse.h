/* SPDX-License-Identifier: MIT
 *
 * sse.h - SSE GET streams: the push machine where async proxies leak.
 *
 * What it models (the basics; reconnect storms and event tracking policies
 * build on this in the SSE issue).  A GET stream is a client connection that
 * stays open for a lifetime drawn from the profile.  The proxy opens an
 * upstream connection for it (its own client per stream, or a slot of the
 * shared pool held for the whole stream) and spawns, per stream, a pump task
 * (reads upstream events, formats each on the executor, puts it into the
 * channel) and a keepalive task (puts a comment every keepalive_s; a second
 * keepalive source if the design has one).  The client writer drains the
 * channel at the client's own rate (bytes per second, with a share of very
 * slow clients), one message at a time.
 *
 * The channel (models/backpressure.h msgq) is unbounded or bounded in
 * messages and/or bytes.  Unbounded: queued bytes grow at (event rate x size
 * - drain rate) per slow stream, with nothing dropped, the shadowcat failure
 * mode.  Bounded, by policy when full: block (the pump waits, so the
 * upstream's events wait in its socket: the upstream is paced by the
 * client; a send_timeout drops the blocked event), drop newest, drop oldest,
 * or disconnect the slow client.
 *
 * Disconnect detection: when the client leaves, a design that notices at once
 * tears everything down; one that notices on the next write (shadowcat's pump
 * skips comment lines, so only a data event's send fails) keeps the pump
 * task and its upstream connection until the next upstream event, and the
 * keepalive task until its next tick.  Lingering streams count in the
 * sse_streams level (proxy-side stream state) though their client is gone.
 *
 * A task per event (spawn.per_event, event-id persistence) is fired for each
 * upstream event.  A per-stream tracker holds up to max_ids ids of id_bytes.
 *
 * What it leaves out (for the SSE issue): client and proxy reconnects with
 * backoff and Last-Event-ID replay, fan-out bursts, per-session trackers,
 * the persistence worker.  An upstream restart ends every stream with an
 * upstream error.
 *
 * Costs: per upstream event one arrival event, one executor job (when the
 * format cost is not zero) and one write-completion event; per stream one
 * entity from a free list and a message ring that grows only for queues
 * longer than 4.
 */
#ifndef MODELS_SSE_H
#define MODELS_SSE_H

/* The functions live in proxy_int.h: sse.c is part of the proxy. */

#endif
