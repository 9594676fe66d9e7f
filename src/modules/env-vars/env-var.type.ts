import { Field, ID, InputType, ObjectType } from "type-graphql";

/** A workspace environment variable, referenced from steps as `{{env.NAME}}`. */
@ObjectType("EnvironmentVariable")
export class EnvironmentVariableType {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: "Secret values are write-only: sealed at rest and never returned." })
  secret!: boolean;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true, description: "The value; always null for a secret variable." })
  value!: string | null;

  @Field()
  updatedAt!: Date;
}

/** Input of setEnvironmentVariable. */
@InputType()
export class SetEnvironmentVariableInput {
  @Field(() => ID)
  workspaceId!: string;

  @Field({ description: "Letters, digits and _, not starting with a digit, at most 128 characters; the CA_ prefix is reserved. Unique per workspace regardless of case." })
  name!: string;

  @Field({ description: "At most 64 KB (UTF-8)." })
  value!: string;

  @Field(() => Boolean, { defaultValue: true, description: "Seal the value and never return it (default)." })
  secret!: boolean;

  @Field(() => String, { nullable: true, description: "At most 500 characters." })
  description?: string | null;
}

/** Input of deleteEnvironmentVariable. */
@InputType()
export class DeleteEnvironmentVariableInput {
  @Field(() => ID)
  workspaceId!: string;

  @Field()
  name!: string;
}
