/**
 * How the starter reports its own recurring problems without flooding the application's
 * log: the first time at WARN, afterwards at DEBUG or not at all. It depends on nothing
 * else in the starter, so that every feature package may use it.
 */
@NullMarked
package io.github.agentobservability.logging;

import org.jspecify.annotations.NullMarked;
