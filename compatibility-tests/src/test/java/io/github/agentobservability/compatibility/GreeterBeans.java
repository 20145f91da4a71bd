package io.github.agentobservability.compatibility;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The application's traced beans, for the applications of this suite that call them
 * directly.
 */
@Configuration(proxyBeanMethods = false)
public class GreeterBeans {

	@Bean
	Greeter greeter() {
		return new Greeter();
	}

	@Bean
	GreeterAgent greeterAgent(Greeter greeter) {
		return new GreeterAgent(greeter);
	}

}
