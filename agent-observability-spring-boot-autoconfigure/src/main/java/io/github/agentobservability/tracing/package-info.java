/**
 * The {@code @Traced} aspect and its observation: one Micrometer {@code Observation} per
 * traced call, so that spans nest with those Spring MVC and Spring AI create.
 */
@NullMarked
package io.github.agentobservability.tracing;

import org.jspecify.annotations.NullMarked;
