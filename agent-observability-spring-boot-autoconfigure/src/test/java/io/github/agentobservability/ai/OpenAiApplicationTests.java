package io.github.agentobservability.ai;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Tests of a whole application against a fresh {@link OpenAiMockServer} per test: the
 * server, started before each test and closed after it, and a runner of the application
 * wired to it with every span sampled.
 */
public abstract class OpenAiApplicationTests {

	private final Class<?> application;

	protected OpenAiMockServer server;

	protected ApplicationContextRunner contextRunner;

	/**
	 * Creates the tests of an application.
	 * @param application its configuration
	 */
	protected OpenAiApplicationTests(Class<?> application) {
		this.application = application;
	}

	@BeforeEach
	void startServer() {
		this.server = OpenAiMockServer.start();
		this.contextRunner = this.server.applicationRunner(this.application);
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

}
