/**
 * Not API: the Spring AI instrumentation: handlers for Spring AI's model, tool, vector-store and ChatClient observations, content capture and usage resolution. The auto-configurations wire these; applications replace the pieces
 * documented as replaceable, not these. Types here may change in any release.
 */
@NullMarked
package io.github.agentobservability.ai.internal;

import org.jspecify.annotations.NullMarked;
