import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../graphql/context";
import { Access } from "../../graphql/access";
import type { EnvVarEntity } from "./env-var.entity";
import { DeleteEnvironmentVariableInput, EnvironmentVariableType, SetEnvironmentVariableInput } from "./env-var.type";

function present(entity: EnvVarEntity): EnvironmentVariableType {
  return Object.assign(new EnvironmentVariableType(), {
    id: entity.id,
    name: entity.name,
    secret: entity.secret,
    description: entity.description,
    // Secret values are write-only: never returned, not even to owners.
    value: entity.secret ? null : entity.value,
    updatedAt: entity.updatedAt,
  });
}

/** Workspace environment variables. */
@Resolver()
export class EnvironmentVariableResolver {
  @Access("authenticated")
  @Query(() => [EnvironmentVariableType], { description: "A workspace's environment variables, by name (any member; secret values are null)." })
  async environmentVariables(@Arg("workspaceId", () => ID) workspaceId: string, @Ctx() context: RequestContext): Promise<EnvironmentVariableType[]> {
    return (await context.services.envVars.list(context.loaders.workspaces, workspaceId)).map(present);
  }

  @Access("authenticated")
  @Mutation(() => EnvironmentVariableType, { description: "Creates or replaces an environment variable by name (OWNER/ADMIN)." })
  async setEnvironmentVariable(@Arg("input") input: SetEnvironmentVariableInput, @Ctx() context: RequestContext): Promise<EnvironmentVariableType> {
    return present(await context.services.envVars.set(context.loaders.workspaces, input));
  }

  @Access("authenticated")
  @Mutation(() => ID, { description: "Deletes an environment variable by name (OWNER/ADMIN); answers its id." })
  async deleteEnvironmentVariable(@Arg("input") input: DeleteEnvironmentVariableInput, @Ctx() context: RequestContext): Promise<string> {
    return (await context.services.envVars.delete(context.loaders.workspaces, input.workspaceId, input.name)).id;
  }
}
