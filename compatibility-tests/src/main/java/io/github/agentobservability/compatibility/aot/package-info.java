/**
 * The application of the ahead-of-time smoke test, in a package of its own so that its
 * component scan sees nothing else.
 */
@NullMarked
package io.github.agentobservability.compatibility.aot;

import org.jspecify.annotations.NullMarked;
