import { Field, InputType, Int, ObjectType } from "type-graphql";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type PageEnd } from "../db/pagination";

/** Where a page ends and whether more follow. */
@ObjectType()
export class PageInfo implements PageEnd {
  /** Pass as `after` to get the next page. */
  @Field(() => String, { nullable: true })
  endCursor!: string | null;

  @Field()
  hasNextPage!: boolean;
}

/** Cursor pagination arguments shared by every list. */
@InputType()
export class PageInput {
  @Field(() => Int, { nullable: true, description: `Page size, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number;

  @Field(() => String, { nullable: true, description: "The endCursor of the previous page." })
  after?: string;
}

