/**
 * Spring AI instrumentation: conventions and handlers that enrich Spring AI's own
 * observations with typed usage, cost, agent attribution and, when enabled, redacted
 * content.
 */
@NullMarked
package io.github.agentobservability.ai;

import org.jspecify.annotations.NullMarked;
