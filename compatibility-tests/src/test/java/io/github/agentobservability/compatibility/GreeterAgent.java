package io.github.agentobservability.compatibility;

import io.github.agentobservability.annotation.Traced;

/**
 * An agent entry point calling the traced {@link Greeter} through its proxy, so that one
 * traced span nests in another.
 */
public class GreeterAgent {

	private final Greeter greeter;

	public GreeterAgent(Greeter greeter) {
		this.greeter = greeter;
	}

	@Traced(agent = "greeter")
	public String run(String name) {
		return this.greeter.greet(name);
	}

}
