/**
 * Annotations that application code puts on its own methods to be traced. They depend on
 * nothing, so that domain code can carry them without pulling in the tracing stack.
 */
@NullMarked
package io.github.agentobservability.annotation;

import org.jspecify.annotations.NullMarked;
