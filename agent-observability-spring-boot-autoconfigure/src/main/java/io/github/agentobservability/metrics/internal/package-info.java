/**
 * Not API: the meters behind the agent and GenAI semconv metric families, and the console metrics reporter. The auto-configurations wire these; applications replace the pieces
 * documented as replaceable, not these. Types here may change in any release.
 */
@NullMarked
package io.github.agentobservability.metrics.internal;

import org.jspecify.annotations.NullMarked;
