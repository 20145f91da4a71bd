/**
 * Not API: helpers every feature package of the starter shares, such as reporting its
 * own recurring problems without flooding the application's log (the first time at
 * WARN, afterwards at DEBUG or not at all). It depends on nothing else in the starter.
 * Types here may change in any release.
 */
@NullMarked
package io.github.agentobservability.internal;

import org.jspecify.annotations.NullMarked;
