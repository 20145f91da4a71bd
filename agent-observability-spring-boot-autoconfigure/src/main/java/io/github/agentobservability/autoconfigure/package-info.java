/**
 * Auto-configuration of the starter: properties, conditions and wiring. Feature packages
 * never depend on this one.
 */
@NullMarked
package io.github.agentobservability.autoconfigure;

import org.jspecify.annotations.NullMarked;
