/**
 * Micrometer meters of the starter and the handlers that record them.
 */
@NullMarked
package io.github.agentobservability.metrics;

import org.jspecify.annotations.NullMarked;
