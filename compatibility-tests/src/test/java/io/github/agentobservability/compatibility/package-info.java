/**
 * Small real Spring Boot applications with the starter dropped in, one per configuration
 * an application may bring, each started with {@code SpringApplication} and judged by the
 * spans it exports and by what it leaves current on the thread.
 */
@NullMarked
package io.github.agentobservability.compatibility;

import org.jspecify.annotations.NullMarked;
