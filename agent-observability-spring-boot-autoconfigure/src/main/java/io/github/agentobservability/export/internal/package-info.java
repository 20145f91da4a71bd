/**
 * Not API: what the exporters share: the JSON form of a span, the trace tree formatter, the batch processors' wiring and their meters. The auto-configurations wire these; applications replace the pieces
 * documented as replaceable, not these. Types here may change in any release.
 */
@NullMarked
package io.github.agentobservability.export.internal;

import org.jspecify.annotations.NullMarked;
