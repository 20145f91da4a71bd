/**
 * Not API: the {@code @Traced} interceptor, its span starter, tracing handler and agent-run bookkeeping. The auto-configurations wire these; applications replace the pieces
 * documented as replaceable, not these. Types here may change in any release.
 */
@NullMarked
package io.github.agentobservability.tracing.internal;

import org.jspecify.annotations.NullMarked;
