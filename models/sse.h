/* SPDX-License-Identifier: MIT
 *
 * sse.h - SSE streams: the push machine where async proxies leak, and the
 * reconnect storm that follows an upstream restart.
 *
 * Streams.  A GET stream (push) is a client connection that stays open while
 * its subscriber wants it: a lifetime drawn from the profile once per
 * subscriber, kept across reconnects.  The proxy opens an upstream connection
 * for it (its own client per stream, or a slot of the shared pool held for the
 * whole stream), may open a session for it (sse.new_session_per_stream: a GET
 * without a session id creates one) and spawns, per stream, a pump task
 * (reads upstream events, formats each on the executor, puts it into the
 * channel) and a keepalive task (a comment every keepalive_s; a second
 * keepalive source if the design has one).  The client writer drains the
 * channel at the client's own rate (bytes per second, with a share of very
 * slow clients), one message at a time.  Upstream events arrive per stream
 * with the profile's inter-arrival and size distributions; correlated bursts
 * are notification fan-outs (Poisson, fanout_rate) that give one event at the
 * same instant to each live stream with probability fanout_share.
 * POST-answered-with-SSE (pull) lives in proxy.c: hyper polls the stream only
 * when the client socket takes data, so each event leaves at the slower of the
 * upstream's gap and the client's drain, no task and no queue.
 *
 * Slow consumers.  The channel (models/backpressure.h msgq) is unbounded or
 * bounded in messages and/or bytes.  Unbounded: queued bytes grow at (event
 * rate x size - drain rate) per slow stream, with nothing dropped, the
 * shadowcat failure mode.  Bounded, by policy when full: block (the pump
 * waits, so the upstream's events wait in its socket; the blocked event takes
 * the slot the client writer frees when it takes its next message, as a recv
 * on tokio's mpsc wakes the sender; a send_timeout drops it), drop newest, drop oldest, or disconnect the slow client
 * (which then reconnects like any broken stream).  Dropped events are counted
 * in total and per stream; the largest queue of any one stream is reported.
 *
 * Disconnect detection: when the client leaves, a design that notices at once
 * tears everything down; one that notices on the next write (shadowcat's pump
 * skips comment lines, so only a data event's send fails) keeps the pump task
 * and its upstream connection until the next upstream event, and the
 * keepalive task until its next tick.  Lingering streams count in the
 * sse_streams level (proxy-side stream state) though their client is gone.
 *
 * Event tracking.  A tracker holds the last max_ids event ids of id_bytes
 * each, per stream (emptied when the client's GET ends, or retained after it
 * when tracker.retained_after_close: shadowcat's per-GET EventTracker kept in
 * a store nothing cleans, which grows with every reconnect) or per session
 * (one per subscriber, kept across its reconnects).  Ids are recorded as the
 * pump takes each event (replayed ones included).  Time-based eviction (ttl_s)
 * runs when the tracker records its next id, like a deque pruned on insert:
 * ids are counted in 8 age buckets whose width is chosen so that an id is
 * evicted at age ttl_s on average (Little: a tracker fed at rate r holds
 * min(max_ids, r x ttl_s)).  Persistence of each id: none; a fire-and-forget
 * task per event (the spawn.per_event site); or one worker per proxy behind a
 * bounded channel (worker_capacity): a send into a full channel holds the
 * pump for the whole send timeout and then parks the id in a latest-only slot
 * (a second parked id overwrites the first: counted as dropped).  The worker
 * takes up to worker_batch ids at a time and updates the store at
 * session_lookup_s of executor CPU per id; ids it took stay in memory until
 * the next flush tick (every worker_flush_s on a fixed grid, missed ticks
 * skipped).
 *
 * Reconnect.  A stream breaks on an upstream error or restart, an idle
 * timeout (no data event for sse.idle_timeout_s), a client network drop
 * (client_drop_rate per live stream), a refused connection or a disconnect by
 * the slow-consumer policy.  If the design has proxy_reconnects, an upstream
 * break is repaired by the proxy: the client keeps its stream and tasks, the
 * pump reconnects upstream after the proxy policy's delay.  Otherwise (and
 * when the proxy gives up) the client closes and reconnects after the client
 * policy's delay (sse_reconnect_delay_s below): a new client connection (and
 * its task), a new GET, new stream tasks, a new upstream connection, maybe a
 * new session.  A reconnect that fails (the upstream is still down) counts as
 * one more attempt; after max_attempts consecutive failures the subscriber
 * gives up.  On success the client sends Last-Event-ID: the gap G is the
 * events it never received (undelivered in the old channel and pump, plus the
 * events the upstream produced during the outage, Poisson for exponential
 * gaps, counted for others), min(G, replay_depth) are replayed through the
 * pump and max(0, G - replay_depth) are lost.  Every attempt is counted in a
 * per-second series; the recovery time runs from an upstream restart until
 * 99% of the streams live before it are live again.
 *
 * What it leaves out: the replay buffer's own memory; event ids during the
 * outage from fan-outs; HTTP/2 stream limits towards the upstream beyond what
 * the pool models; Retry-After; TCP send buffers (a message is in the
 * channel or on the wire); a client that notices a dead proxy-side stream
 * later than at once; persistence retries.
 *
 * Costs: per upstream event one arrival event.  The executor solves the
 * format job on submission (sim_fcfs), so when the client's socket is free
 * and nothing waits in its channel the event is put on the wire at once,
 * from the instant its formatting ends, and neither the end of the format
 * nor the end of the write is an event: both are settled when the stream is
 * next looked at.  Only a backlog (a slow client, a full channel, a second
 * event while the first is being formatted) costs a format event and a
 * write event per message, plus one per fire-and-forget task with a
 * lifetime; the persistence worker's batch ends without an event too, unless
 * ids wait behind it.  One trace of this shows: a stream whose pump ends
 * while an event it put on the wire is still being formatted (its upstream
 * broke and its client is gone) is freed at once rather than when the format
 * ends, microseconds later; no allocation; O(1) per event (the tracker's buckets are a
 * fixed ring).  Per stream one entity (about 310 B) from a free list, a
 * message ring of 8 B per message allocated only when a message has to
 * queue, and two pending events (the next upstream event; one slow timer
 * for the client's end and both keepalive sources); per subscriber one small
 * entity from a free list.  A fan-out walks the live streams: O(streams)
 * per fan-out.
 */
#ifndef MODELS_SSE_H
#define MODELS_SSE_H

#include "models/params.h"

#include <gsl/gsl_rng.h>

/* The delay before reconnect attempt `attempt` (0 for the first after a
 * break), by the policy's kind and jitter.  prev_delay_s is the delay used
 * before the previous attempt (decorrelated jitter grows from it; pass 0 for
 * the first).  INFINITY when the policy is RECONNECT_NONE.  Pure: depends only
 * on its arguments and one or no draw from r.
 *
 *   immediate      0
 *   fixed          b
 *   exponential    min(cap, b * multiplier^attempt)
 *   jitter none    d;  full U(0, d);  equal d/2 + U(0, d/2);
 *          decorrelated min(cap, U(b, max(b, prev * multiplier)))  (AWS, x3 there);
 *          proportional d * (1 + U(-f, f))
 *
 * where b is base_s, or the SSE retry: field when honoured and sent. */
double sse_reconnect_delay_s(const struct reconnect_params *p, const gsl_rng *r, unsigned attempt,
                             double prev_delay_s);

/* Tasks one GET stream spawns under design d: the pump, and a keepalive task when the
 * design has a keepalive source; 0 when the per-stream site is off.  sse.c spawns
 * them and the per-session task cap counts them, from this one definition. */
double sse_stream_tasks(const struct design *d);

/* The other functions live in proxy_int.h: sse.c is part of the proxy. */

#endif
